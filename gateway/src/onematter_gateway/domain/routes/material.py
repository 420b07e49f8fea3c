"""Public routes of the material service and who may call them.

Object-level checks (is this material yours, does your department hold an open grant) stay in the
service; a material that is not yours is 404 there.
"""

from onematter_kit.identity import Role

from onematter_gateway.domain.policy import ANYONE, RouteRule, rule

__all__ = ["RULES"]

S = "material"
RULES: list[RouteRule] = [
    rule(
        "POST",
        "/api/v1/materials",
        S,
        Role.applicant,
        Role.clerk,
        upload=True,
        summary="Upload a material (multipart: file, material_type; a clerk adds on_behalf_of) to a locker",
    ),
    rule("GET", "/api/v1/materials", S, Role.applicant, summary="The caller's own materials"),
    rule(
        "GET",
        "/api/v1/materials/access-log",
        S,
        Role.applicant,
        summary="Who read the caller's materials (every read but the owner's)",
    ),
    rule(
        "GET",
        "/api/v1/materials/{material_id}",
        S,
        Role.applicant,
        Role.officer,
        summary="A material's metadata (owner, or an officer whose department's open task references it)",
    ),
    rule(
        "GET",
        "/api/v1/materials/{material_id}/content",
        S,
        Role.applicant,
        Role.officer,
        summary="A material's bytes (Range, ETag, Content-Disposition)",
    ),
    rule(
        "DELETE",
        "/api/v1/materials/{material_id}",
        S,
        Role.applicant,
        summary="Delete an own material (409 while an open task uses it)",
    ),
    rule("GET", "/api/v1/licences", S, Role.applicant, summary="The caller's electronic licences (电子证照)"),
    rule(
        "POST",
        "/api/v1/licences/{licence_id}/revoke",
        S,
        Role.officer,
        summary="吊销: the issuing department revokes its licence, with a reason (others get 404)",
    ),
    rule(
        "POST",
        "/api/v1/licences/{licence_id}/cancel",
        S,
        Role.officer,
        summary="注销: the issuing department cancels its licence, with a reason (others get 404)",
    ),
    rule(
        "GET",
        "/api/v1/licences/verify/{code}",
        S,
        *ANYONE,
        summary="Check that a licence is genuine and valid (no personal data beyond the licence)",
    ),
]
