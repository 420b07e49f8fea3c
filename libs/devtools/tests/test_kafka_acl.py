"""The ACLs a principal gets, checked against the rules of issue 16 written out by hand: a service writes
only what it owns, reads only what it consumes; a department reads only its own task topic."""

import pytest
from onematter_devtools.kafka_acl import Grant, department_grants, plan, service_grants

DEPARTMENTS = ["mps", "nhc"]


def _names(grants: list[Grant], operation: str) -> set[tuple[str, bool]]:
    return {(g.name, g.prefixed) for g in grants if g.resource == "topic" and g.operation == operation}


def test_a_department_reads_only_its_own_task_topic_in_groups_under_its_code() -> None:
    assert set(department_grants("mps")) == {
        Grant("topic", "onematter.tasks.mps", "READ"),
        Grant("group", "mps.", "READ", prefixed=True),
    }


@pytest.mark.parametrize(
    ("service", "writes"),
    [
        ("matter-catalog", {("onematter.catalog", False)}),
        (
            "acceptance",
            {("onematter.applications", False), ("onematter.tasks.", True), ("onematter.catalog.dlq", False)},
        ),
        (
            "material",
            {
                ("onematter.materials", False),
                ("onematter.applications.dlq", False),
                ("onematter.tasks.mps.dlq", False),
                ("onematter.tasks.nhc.dlq", False),
            },
        ),
        (
            "notification",
            {
                ("onematter.notifications", False),
                ("onematter.catalog.dlq", False),
                ("onematter.applications.dlq", False),
                ("onematter.materials.dlq", False),
                ("onematter.hotline.dlq", False),
                ("onematter.tasks.mps.dlq", False),
                ("onematter.tasks.nhc.dlq", False),
            },
        ),
        ("hotline", {("onematter.hotline", False), ("onematter.catalog.dlq", False)}),
    ],
)
def test_a_service_writes_only_its_own_topics_and_the_dead_letters_of_what_it_reads(
    service: str, writes: set[tuple[str, bool]]
) -> None:
    assert _names(service_grants(service, departments=DEPARTMENTS), "WRITE") == writes


@pytest.mark.parametrize(
    ("service", "reads"),
    [
        ("matter-catalog", set()),
        ("acceptance", {("onematter.catalog", False)}),
        ("material", {("onematter.applications", False), ("onematter.tasks.", True)}),
        (
            "notification",
            {
                ("onematter.catalog", False),
                ("onematter.applications", False),
                ("onematter.materials", False),
                ("onematter.hotline", False),
                ("onematter.tasks.", True),
            },
        ),
        ("hotline", {("onematter.catalog", False)}),
    ],
)
def test_a_service_reads_only_what_it_consumes_in_groups_under_its_name(
    service: str, reads: set[tuple[str, bool]]
) -> None:
    grants = service_grants(service, departments=DEPARTMENTS)

    assert _names(grants, "READ") == reads
    assert [g for g in grants if g.resource == "group"] == [
        Grant("group", f"{service}.", "READ", prefixed=True)
    ]


def test_the_catalog_may_create_but_not_read_or_write_the_task_topics() -> None:
    grants = service_grants("matter-catalog", departments=DEPARTMENTS)

    assert ("onematter.tasks.", True) in _names(grants, "CREATE")
    assert ("onematter.tasks.", True) not in _names(grants, "READ") | _names(grants, "WRITE")


def test_a_topic_prefix_prefixes_every_user_topic_and_group() -> None:
    principals = plan(prefix="t1a2.", departments=DEPARTMENTS).grants

    assert set(principals) == {
        "t1a2.svc-matter-catalog",
        "t1a2.svc-acceptance",
        "t1a2.svc-material",
        "t1a2.svc-notification",
        "t1a2.svc-hotline",
        "t1a2.dept-mps",
        "t1a2.dept-nhc",
    }
    assert all(g.name.startswith("t1a2.") for grants in principals.values() for g in grants)


def test_a_department_code_that_names_a_service_is_refused() -> None:
    with pytest.raises(ValueError, match="taken by a service"):
        department_grants("material")
