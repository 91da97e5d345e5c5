from buyin_workbook.exercises.motivators.content import catalogue_reference, load_content


def test_ten_intrinsic_motivators_and_five_work_appeals():
    content = load_content()
    ids = [m.id for m in content.motivators]
    assert ids[:10] == [
        "curiosity",
        "honor",
        "acceptance",
        "mastery",
        "power",
        "freedom",
        "relatedness",
        "order",
        "goal",
        "status",
    ]
    assert ids[10:] == ["job_security", "identity", "problem_solving", "pay", "competition"]
    assert all(m.kind == "intrinsic" for m in content.motivators[:10])
    assert {m.id for m in content.motivators if m.kind == "extrinsic"} == {
        "job_security",
        "pay",
        "competition",
    }


def test_every_motivator_has_a_meaning_and_conversation_questions():
    for motivator in load_content().motivators:
        assert motivator.meaning.endswith(".")
        assert len(motivator.questions) >= 1
        assert all(question.endswith("?") for question in motivator.questions)


def test_thresholds_are_data_and_bands_cover_zero_to_hundred():
    content = load_content()
    assert content.thresholds["projection_rho"] == 0.7
    assert [content.overlap_band(v).id for v in (0, 39.9, 40, 69.9, 70, 100)] == [
        "low",
        "low",
        "medium",
        "medium",
        "high",
        "high",
    ]


def test_catalogue_reference_card():
    lines = str(catalogue_reference()).splitlines()
    assert len(lines) == 16 and lines[1].startswith("Curiosity")
