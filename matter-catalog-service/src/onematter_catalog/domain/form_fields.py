"""The form-field library: every field of every form is written once here and reused by rules.

Rules say which fields an item asks for: by the matter's subject (an individual gives a name and an ID
number, an enterprise its unified social credit code), by the materials the item needs (a bank card →
the account), and by the item itself (a birth registration → the newborn's name and date of birth).
Admins may also define their own fields in a draft; the library only supplies the defaults.
"""

from __future__ import annotations

from collections.abc import Iterable

from onematter_catalog.domain.model import FieldSpec

__all__ = ["CREDIT_CODE_PATTERN", "FIELD_LIBRARY", "ID_NUMBER_PATTERN", "fields_for_item", "library_field"]

#: 18-digit PRC resident ID: region, birth date (19xx/20xx), sequence, check digit (0-9 or X).
ID_NUMBER_PATTERN = r"^[1-9]\d{5}(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[0-9X]$"
#: Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, no I, O, Z, S, V.
CREDIT_CODE_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$"
_MOBILE = r"^1[3-9]\d{9}$"
_PERSON_NAME = {"min_length": 1, "max_length": 50}


def _f(name: str, zh: str, en: str, example: object, **schema: object) -> FieldSpec:
    return FieldSpec(name=name, title_zh=zh, title_en=en, example=example, **schema)


FIELD_LIBRARY: dict[str, FieldSpec] = {
    f.name: f
    for f in [
        _f("applicant_name", "申请人姓名", "Applicant's name", "张三", **_PERSON_NAME),
        _f(
            "id_number",
            "公民身份号码",
            "PRC resident ID number",
            "11010519491231002X",
            pattern=ID_NUMBER_PATTERN,
        ),
        _f("contact_phone", "联系电话", "Contact mobile phone", "13800138000", pattern=_MOBILE),
        _f("address", "联系地址", "Postal address", "北京市东城区东长安街1号", min_length=1, max_length=200),
        _f("email", "电子邮箱", "E-mail", "zhangsan@example.cn", format="email", required=False),
        _f(
            "company_name",
            "企业名称",
            "Enterprise name",
            "北京一件事餐饮有限公司",
            min_length=1,
            max_length=200,
        ),
        _f(
            "credit_code",
            "统一社会信用代码",
            "Unified social credit code",
            "91110000600037341L",
            pattern=CREDIT_CODE_PATTERN,
        ),
        _f("legal_representative", "法定代表人", "Legal representative", "李四", **_PERSON_NAME),
        _f(
            "premises_address",
            "经营场所地址",
            "Address of the premises",
            "北京市朝阳区建国路88号",
            min_length=1,
            max_length=200,
        ),
        _f(
            "change_description",
            "变更事项说明",
            "What changes",
            "注册资本由100万元变更为200万元",
            min_length=1,
            max_length=1000,
        ),
        _f("newborn_name", "新生儿姓名", "Newborn's name", "张小宝", **_PERSON_NAME),
        _f("newborn_birth_date", "新生儿出生日期", "Newborn's date of birth", "2024-05-01", format="date"),
        _f("newborn_gender", "新生儿性别", "Newborn's sex", "female", enum=["male", "female"]),
        _f(
            "birth_hospital",
            "出生医院",
            "Hospital of birth",
            "北京市海淀区妇幼保健院",
            min_length=1,
            max_length=200,
        ),
        _f("child_name", "学生姓名", "Child's name", "张小明", **_PERSON_NAME),
        _f(
            "child_id_number",
            "学生身份证号码",
            "Child's ID number",
            "110105201509010018",
            pattern=ID_NUMBER_PATTERN,
        ),
        _f("employee_name", "职工姓名", "Employee's name", "王五", **_PERSON_NAME),
        _f(
            "employee_id_number",
            "职工身份证号码",
            "Employee's ID number",
            "110105199001010012",
            pattern=ID_NUMBER_PATTERN,
        ),
        _f("employment_start_date", "用工起始日期", "First day of employment", "2024-07-01", format="date"),
        _f("retirement_date", "退休日期", "Date of retirement", "2024-10-01", format="date"),
        _f("bank_name", "开户银行", "Bank", "中国工商银行北京分行", min_length=1, max_length=100),
        _f("bank_account", "银行账号", "Bank account number", "6222020200112233445", pattern=r"^\d{12,19}$"),
        _f(
            "vehicle_plate",
            "车牌号码",
            "Vehicle plate number",
            "京A12345",
            pattern=r"^[\u4e00-\u9fa5][A-Z][A-HJ-NP-Z0-9]{5,6}$",
        ),
        _f(
            "property_address",
            "不动产坐落",
            "Location of the real estate",
            "北京市西城区金融大街1号",
            min_length=1,
            max_length=200,
        ),
        _f(
            "disability_category",
            "残疾类别",
            "Category of disability",
            "physical",
            enum=["visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple"],
        ),
        _f(
            "commitment_signed",
            "已阅读并签署告知承诺书",
            "I have read and signed the commitment (告知承诺)",
            True,
            type="boolean",
        ),
    ]
}

#: Fields every item of a matter asks for, by the matter's subject (who applies).
_BY_SUBJECT: dict[str, tuple[str, ...]] = {
    "individual": ("applicant_name", "id_number", "contact_phone", "address"),
    "enterprise": ("company_name", "credit_code", "legal_representative", "contact_phone"),
}
#: Fields an item asks for because it needs a material.
_BY_MATERIAL: dict[str, tuple[str, ...]] = {
    "premises_proof": ("premises_address",),
    "change_resolution": ("change_description",),
    "bank_card": ("bank_name", "bank_account"),
    "vehicle_licence": ("vehicle_plate",),
    "property_cert": ("property_address",),
    "labour_contract": ("employee_name", "employee_id_number", "employment_start_date"),
    "disability_assessment": ("disability_category",),
}
#: Fields an item asks for because of what it is.
_BY_ITEM: dict[str, tuple[str, ...]] = {
    "nhc-birth-medical-cert": ("newborn_name", "newborn_birth_date", "newborn_gender", "birth_hospital"),
    "ndcpa-vaccination-cert": ("newborn_name", "newborn_birth_date"),
    "mps-birth-registration": ("newborn_name", "newborn_birth_date", "newborn_gender"),
    "nhsa-resident-enrolment": ("newborn_name",),
    "mohrss-card-application": ("newborn_name",),
    "moe-enrolment-application": ("child_name", "child_id_number"),
    "mps-residence-verification": ("child_id_number",),
    "mohrss-insurance-enrolment": ("employee_name", "employee_id_number"),
    "nhsa-employee-enrolment": ("employee_name", "employee_id_number"),
    "hpf-account-opening": ("employee_name", "employee_id_number"),
    "mohrss-pension-claim": ("retirement_date",),
}


def library_field(name: str) -> FieldSpec:
    """The library's definition of ``name``; ``KeyError`` if there is none."""
    return FIELD_LIBRARY[name]


def fields_for_item(
    *, subject: str, item_code: str, material_types: Iterable[str], commitment: bool
) -> list[FieldSpec]:
    """The fields an item asks for, by the rules above, in a stable order and without repeats.

    ``commitment`` is true when any of the item's materials may be replaced by a signed commitment (告知承诺):
    the form then asks the applicant to confirm the commitment.
    """
    names = list(_BY_SUBJECT[subject])
    for material in material_types:
        names.extend(_BY_MATERIAL.get(material, ()))
    names.extend(_BY_ITEM.get(item_code, ()))
    if commitment:
        names.append("commitment_signed")
    return [FIELD_LIBRARY[name] for name in dict.fromkeys(names)]
