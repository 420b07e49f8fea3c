from onematter_hotline.domain.similarity import Candidate, content_words, jaccard, merge_candidates, rank


def test_jaccard_is_the_shared_words_over_all_words():
    # {a, b, c} and {b, c, d}: 2 shared of 4 in all
    assert jaccard(frozenset("abc"), frozenset("bcd")) == 0.5
    assert jaccard(frozenset(), frozenset()) == 0.0


def test_stop_words_and_punctuation_carry_no_meaning():
    assert content_words(["请问", "新生儿", "，", "怎么", "办理", " ", "Card"]) == {"新生儿", "办理", "card"}


def test_merge_candidates_are_those_at_or_above_the_threshold_most_similar_first():
    words = frozenset({"红绿灯", "坏", "路口", "修理"})
    open_requests = [
        ("half", frozenset({"红绿灯", "坏", "油烟", "扰民"})),  # 2 / 6
        ("same", frozenset({"红绿灯", "坏", "路口", "修理"})),  # 4 / 4
        ("most", frozenset({"红绿灯", "坏", "路口"})),  # 3 / 4
    ]
    assert merge_candidates(words, open_requests, threshold=0.5) == [
        Candidate("same", 1.0),
        Candidate("most", 0.75),
    ]


def test_search_ranks_by_the_share_of_the_query_found():
    query = frozenset({"新生儿", "出生", "证明"})
    entries = [
        ("retire", frozenset({"退休", "证明"})),
        ("birth", frozenset({"新生儿", "出生", "证明", "医院"})),
    ]
    assert rank(query, entries, limit=5) == [Candidate("birth", 1.0), Candidate("retire", 0.3333)]
    assert rank(frozenset(), entries, limit=5) == []
