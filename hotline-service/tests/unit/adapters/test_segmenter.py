from onematter_hotline.adapters.segmenter import JiebaSegmenter
from onematter_hotline.domain.similarity import content_words


def test_jieba_finds_the_words_of_a_question_about_a_birth_certificate():
    words = content_words(JiebaSegmenter().words("请问新生儿出生医学证明怎么办理"))
    assert {"新生儿", "出生", "医学", "证明", "办理"} <= words
    assert "请问" not in words and "怎么" not in words
