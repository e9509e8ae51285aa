"""Staff: a new plan from an export file, or from another plan's structure."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import staff_view
from helhedsplan.lib.forms import add_service_errors
from helhedsplan.transfer import services
from helhedsplan.transfer.forms import CopyStructureForm, ImportForm


@staff_view
def staff_import(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action", "")
    import_form = ImportForm(
        request.POST if action == "import" else None,
        request.FILES if action == "import" else None,
        prefix="import",
    )
    copy_form = CopyStructureForm(
        request.POST if action == "copy" else None,
        prefix="copy",
        initial={"source": request.GET.get("kilde", "")},
    )
    if request.method == "POST":
        form = import_form if action == "import" else copy_form
        if action in ("import", "copy") and form.is_valid():
            data = form.cleaned_data
            try:
                if action == "import":
                    plan = services.plan_import(
                        data=data["file"].read(),
                        slug=data["slug"],
                        name=data["name"] or None,
                        structure_only=data["structure_only"],
                        actor=request.user,  # type: ignore[arg-type]
                    )
                else:
                    plan = services.plan_copy_structure(
                        plan=data["source"],
                        slug=data["slug"],
                        name=data["name"] or None,
                        actor=request.user,
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                # Back here, not to the plan: staff holds no role on the new plan (the plan
                # pages answer only those who do); its users' roles came with the file.
                messages.success(
                    request,
                    _("Planen “%(name)s” er oprettet med det korte navn %(slug)s.")
                    % {"name": plan.name, "slug": plan.slug},
                )
                return redirect("transfer:staff_import")
    return render(
        request,
        "transfer/staff_import.html",
        {"import_form": import_form, "copy_form": copy_form},
    )
