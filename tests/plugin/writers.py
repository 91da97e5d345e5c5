"""A second kernel, as a process: writes answers into one plan (the two-windows test)."""

import sys

from buyin_workbook.store import WorkbookStore


def main(url: str, plan_id: int, name: str, count: int) -> None:
    with WorkbookStore(url) as store:
        for index in range(count):
            store.save_answer(plan_id, "choice", f"{name}/{index}", {"by": name, "n": index})
            store.save_answer(plan_id, "choice", "shared", {"by": name, "n": index})


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
