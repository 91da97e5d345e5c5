import asyncio

from buyin_workbook.widgets.autosave import Autosaver


def test_without_an_event_loop_every_change_is_saved_at_once():
    saved = []
    saver = Autosaver(lambda key, value: saved.append((key, value)), delay=0.4)
    saver.queue("a", 1)
    assert saved == [("a", 1)]
    assert "All answers saved" in saver.status.value


def test_typing_is_debounced_into_one_save_per_answer():
    saved = []

    async def type_a_sentence() -> None:
        saver = Autosaver(lambda key, value: saved.append((key, value)), delay=0.05)
        for length in range(1, 6):
            saver.queue("note", "hello"[:length])
            await asyncio.sleep(0.01)
        assert saved == []
        assert "Saving" in saver.status.value
        await asyncio.sleep(0.15)
        assert "All answers saved" in saver.status.value

    asyncio.run(type_a_sentence())
    assert saved == [("note", "hello")]


def test_a_failure_is_shown_kept_and_retried():
    attempts = []

    def flaky(key, value):
        attempts.append(value)
        if len(attempts) == 1:
            raise OSError("disk full")

    saver = Autosaver(flaky, delay=0)
    saver.queue("a", "first")
    assert "Not saved: disk full" in saver.status.value
    assert saver.pending == {"a": "first"}
    assert saver.retry.layout.display == ""
    saver.retry.click()
    assert attempts == ["first", "first"]
    assert saver.pending == {}
    assert "All answers saved" in saver.status.value


def test_a_failure_that_retrying_cannot_mend_says_so_without_a_retry():
    from buyin_workbook.store import ACCESS_ENDED, AccessEnded

    def refused(key, value):
        raise AccessEnded(ACCESS_ENDED)

    saver = Autosaver(refused, delay=0)
    saver.queue("a", "typed after the link was withdrawn")
    assert saver.status.value.count("no longer works") == 1
    assert "will be saved with your next change" not in saver.status.value
    assert saver.retry.layout.display == "none"


def test_discard_drops_answers_whose_question_is_gone():
    saver = Autosaver(lambda key, value: None, delay=10)
    saver.pending.update({"a": 1, "b": 2})
    saver.discard(["a"])
    assert saver.pending == {"b": 2}
