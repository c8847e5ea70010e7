"""The admin shows the record but never changes what was submitted or signed."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from core.admin import ReadOnlyAdmin

from .models import (
    Department,
    Dossier,
    DraftVersion,
    HistoryEntry,
    Material,
    Meeting,
    MeetingDecision,
    Minutes,
    Opinion,
    User,
)


@admin.register(User)
class ReviewUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + ((None, {"fields": ("department",)}),)
    list_display = ("username", "first_name", "department", "is_active")
    list_filter = ("department", "groups", "is_active")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "number_prefix")


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ("title", "department", "stage", "number", "created_at")
    list_filter = ("stage", "department", "kind")
    search_fields = ("title", "number")


for model in (DraftVersion, Material, Opinion, HistoryEntry, MeetingDecision, Meeting, Minutes):
    admin.site.register(model, ReadOnlyAdmin)
