from onematter_hotline.domain.dispatch import region_chain, suggest_office

RULES = {("traffic", "110000"): "city-traffic", ("traffic", "110105"): "chaoyang-traffic"}


def test_a_county_rule_wins_over_its_province():
    assert suggest_office(RULES, category="traffic", region="110105") == "chaoyang-traffic"
    assert suggest_office(RULES, category="traffic", region="110101") == "city-traffic"


def test_no_rule_no_suggestion():
    assert suggest_office(RULES, category="housing", region="110105") is None
    assert suggest_office(RULES, category="traffic", region="310101") is None


def test_the_region_chain_is_county_city_province():
    assert region_chain("320102") == ["320102", "320100", "320000"]
    assert region_chain("110000") == ["110000"]
