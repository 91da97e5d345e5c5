"""A command's ``--help`` in the terminal's language.

traitlets writes ``--help`` from a command's description, subcommands, flags, options and
examples, under headings of its own, in English. The workbook's commands write the same
sections with every word said by the catalogues: their own words are marked ``N_`` where
they are written (an option's help with blanks as :class:`~buyin_workbook._text.FilledWords`),
and Jupyter's flags and Voila's options carry the workbook's words for them. ``--help-all``,
which lists every setting of every Jupyter class a command carries, stays as traitlets
writes it.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from functools import cached_property
from textwrap import dedent
from typing import TYPE_CHECKING, Any

from traitlets import Enum
from traitlets.utils.text import indent, wrap_paragraphs

from .._text import N_, FilledWords
from ..config import WorkbookConfig, terminal_language
from ..languages import Translator, translator

_SUBCOMMANDS = N_("Subcommands")
_RUN_ONE = N_(
    "Run one as `{command} COMMAND [options]`; `{command} COMMAND --help` says what it does "
    "and takes."
)
_OPTIONS = N_("Options")
_OPTIONS_INTRO = N_(
    "Each option sets the setting it is equivalent to, which a config file "
    "(jupyter_workbook_config.py) can set as well; `--help-all` lists every setting."
)
_CHOICES = N_("Choices: {choices}")
_DEFAULT = N_("Default: {value}")
_EQUIVALENT = N_("Equivalent to: [{settings}]")
_EXAMPLES = N_("Examples")
_HELP_ALL = N_("To see every setting, use `--help-all`.")

#: How wide help's lines are, as traitlets wraps an option's help.
_WIDTH = 76


def said(words: Translator, text: str) -> str:
    """Help written in English (marked ``N_``, or :class:`FilledWords`) in ``words``'s
    language."""
    if isinstance(text, FilledWords):
        return words.gettext(text.words, **text.values)
    return words.gettext(text)


def _heading(title: str, underline: str = "=") -> Iterator[str]:
    yield title
    yield underline * len(title)


def _paragraphs(text: str, *, indented: bool = False) -> str:
    # wrap_paragraphs dedents each paragraph and leaves its lines as they are written.
    text = "\n\n".join(wrap_paragraphs(dedent(text).strip(), _WIDTH if indented else 80))
    return indent(text) if indented else text


def _names(names: str | tuple[str, ...]) -> str:
    every = (names,) if isinstance(names, str) else names
    return ", ".join(f"--{n}" if len(n) > 1 else f"-{n}" for n in sorted(every, key=len))


class TranslatedHelp:
    """Mixed into a traitlets application, before it: its ``--help`` in ``self.words``."""

    if TYPE_CHECKING:
        name: str
        description: str
        examples: str
        subcommands: dict[str, Any]
        flags: dict[Any, Any]
        aliases: dict[Any, Any]
        classes: list[Any]
        config: Any

    @cached_property
    def words(self) -> Translator:
        """The command's words in the terminal's language (else the configured one; see
        :func:`~buyin_workbook.config.terminal_language`)."""
        return translator(terminal_language(WorkbookConfig(parent=self)))

    def emit_description(self) -> Generator[str, None, None]:
        if self.description:
            yield _paragraphs(said(self.words, self.description))
            yield ""

    def emit_subcommands_help(self) -> Generator[str, None, None]:
        if not self.subcommands:
            return
        words = self.words
        yield from _heading(words.gettext(_SUBCOMMANDS))
        # As a person types it ("jupyter workbook cohort"), not the app's internal name.
        yield _paragraphs(words.gettext(_RUN_ONE, command=self.name.replace("-", " ")))
        yield ""
        for subcommand, (_, help_text) in self.subcommands.items():
            yield subcommand
            if help_text:
                yield _paragraphs(said(words, help_text), indented=True)
        yield ""

    def emit_options_help(self) -> Generator[str, None, None]:
        if not self.flags and not self.aliases:
            return
        yield from _heading(self.words.gettext(_OPTIONS))
        yield _paragraphs(self.words.gettext(_OPTIONS_INTRO))
        yield ""
        yield from self.emit_flag_help()
        yield from self.emit_alias_help()
        yield ""

    def emit_flag_help(self) -> Generator[str, None, None]:
        words = self.words
        for names, (settings, help_text) in self.flags.items():
            yield _names(names)
            yield _paragraphs(said(words, help_text), indented=True)
            equivalent = " ".join(
                f"--{section}.{name}={value}"
                for section, values in settings.items()
                for name, value in values.items()
            )
            yield indent(words.gettext(_EQUIVALENT, settings=equivalent))

    def emit_alias_help(self) -> Generator[str, None, None]:
        words = self.words
        # Every class an option may name, with the classes it inherits from (as traitlets).
        owners = {c.__name__: c for cls in self.classes for c in cls.mro()[:-3]}
        for names, setting in self.aliases.items():
            setting, help_text = setting if isinstance(setting, tuple) else (setting, None)
            owner_name, trait_name = setting.split(".")[-2:]
            owner = owners[owner_name]
            trait = owner.class_traits(config=True)[trait_name]
            # traitlets' first line names the value it takes ("=<Int>", "=<key-1>=<value-1>...").
            header = owner.class_get_trait_help(trait, helptext="").splitlines()[0]
            yield header.replace(f"--{owner_name}.{trait_name}", _names(names))
            help_text = trait.help if help_text is None else help_text
            if help_text:
                yield _paragraphs(said(words, help_text), indented=True)
            if isinstance(trait, Enum):
                choices = ", ".join(repr(value) for value in trait.values or ())
                yield indent(words.gettext(_CHOICES, choices=choices))
            default = self._default_shown(owner_name, trait)
            if default is not None:
                default = default if len(default) <= 64 else default[:61] + "..."
                yield indent(words.gettext(_DEFAULT, value=default))
            yield indent(words.gettext(_EQUIVALENT, settings=f"--{owner_name}.{trait_name}"))

    def _default_shown(self, owner_name: str, trait: Any) -> str | None:
        """The value the command takes when its command line names none: the one its own
        defaults or config files set (serve's loopback address), else the class's."""
        if owner_name in self.config and trait.name in self.config[owner_name]:
            return repr(self.config[owner_name][trait.name])
        try:
            return str(trait.default_value_repr())
        except Exception:  # as traitlets: a default it cannot show is left out
            return None

    def emit_examples(self) -> Generator[str, None, None]:
        if self.examples:
            yield from _heading(self.words.gettext(_EXAMPLES), "-")
            yield ""
            yield indent(dedent(said(self.words, self.examples)).strip("\n"))
            yield ""

    def emit_help_epilogue(self, classes: bool) -> Generator[str, None, None]:
        if not classes:
            yield self.words.gettext(_HELP_ALL)
            yield ""
