"""Objects of the setup's URLs for the permission matrices: a party, a department and a
sub-area of the demo's Motalavej (made when the plan has none)."""

from __future__ import annotations

from helhedsplan.plans import services
from helhedsplan.plans.models import AreaDepartment, HousingArea, HousingOrganisation, Plan, SubArea

MATRIX_AREA = "motalavej"


def party(plan: Plan) -> int:
    found = plan.housing_organisations.order_by("pk").first()
    if found is None:
        found = services.plan_housing_organisation_create(plan=plan, name="Matrixbolig")
    assert isinstance(found, HousingOrganisation)
    return found.pk


def department(plan: Plan) -> int:
    area = HousingArea.objects.get(plan=plan, slug=MATRIX_AREA)
    found = AreaDepartment.objects.filter(area=area).order_by("pk").first()
    if found is None:
        found = services.area_department_add(area=area, number="M1", housing_organisation=None)
    return found.pk


def sub_area(plan: Plan) -> int:
    area = HousingArea.objects.get(plan=plan, slug=MATRIX_AREA)
    found = SubArea.objects.filter(area=area).order_by("pk").first()
    if found is None:
        found = services.sub_area_add(area=area, name="Matrixdelområde")
    return found.pk
