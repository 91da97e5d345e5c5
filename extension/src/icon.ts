import { LabIcon } from '@jupyterlab/ui-components';

/**
 * An open workbook with a tick on its right-hand page. The `jp-icon*` classes let the
 * theme recolour it, as JupyterLab's own icons do.
 */
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M2 5.5C4.6 4.2 7.9 4.2 11 6v13.5C7.9 17.8 4.6 17.8 2 19.1z"/>
    <path d="M13 6c3.1-1.8 6.4-1.8 9-.5v13.6c-2.6-1.3-5.9-1.3-9 .4zm2.1 6.2-1.1 1.1 2.6 2.6 4.6-4.6-1.1-1.1-3.5 3.5z" fill-rule="evenodd"/>
  </g>
</svg>`;

export const workbookIcon = new LabIcon({ name: 'buyin-workbook:icon', svgstr: SVG });
