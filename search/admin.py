from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from search.models import (
    CampaignEvent,
    CampaignItem,
    CleanupCampaign,
    Document,
    DocumentLink,
    DocumentVersion,
    StatusChange,
)


class ReadOnlyInline(admin.TabularInline):
    """History is what happened: shown, never edited or deleted here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ["changed_on", "old_status", "new_status", "reason", "actor", "campaign"]
    readonly_fields = fields


class VersionInline(ReadOnlyInline):
    model = DocumentVersion
    fields = ["number", "published_on", "effective_on", "superseded_on", "source"]
    readonly_fields = fields


class LinkInline(admin.TabularInline):
    model = DocumentLink
    fk_name = "source"
    extra = 0
    raw_id_fields = ["target"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "issuer", "kind", "status", "published_on", "lapses_on"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "number", "issuer"]
    # Status changes go through Document.change_status, so that each leaves a history line.
    readonly_fields = ["status", "ended_on", "dossier", "source", "lapse_flagged_on"]
    raw_id_fields = ["department"]
    inlines = [VersionInline, LinkInline, StatusChangeInline]


class EventInline(ReadOnlyInline):
    model = CampaignEvent
    fields = ["at", "actor", "action", "comment"]
    readonly_fields = fields


class PublishedIsFinalAdmin(admin.ModelAdmin):
    """A published cleanup result is shown, never changed or deleted here (the models refuse
    it too): the change form is read-only and "delete selected" lists it as protected."""

    def is_published(self, obj):
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.is_published(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.is_published(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        final = [
            format_html("{}（{}）", obj, _("清理结果已经公布，不能删除。"))
            for obj in objs
            if self.is_published(obj)
        ]
        return deleted, counts, perms_needed, [*protected, *final]


@admin.register(CampaignItem)
class CampaignItemAdmin(PublishedIsFinalAdmin):
    list_display = ["document", "campaign", "department", "state", "decision"]
    list_filter = ["state", "decision", "campaign"]
    readonly_fields = ["campaign", "document", "state", "decision", "reason", "proposed_by",
                       "review_comment", "reviewed_by"]  # fmt: skip
    inlines = [EventInline]

    def is_published(self, obj):
        return obj.campaign.state == CleanupCampaign.State.PUBLISHED

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("campaign", "document")


@admin.register(CleanupCampaign)
class CleanupCampaignAdmin(PublishedIsFinalAdmin):
    list_display = ["title", "state", "created_at", "published_on"]
    readonly_fields = ["state", "published_on", "published_by", "created_by"]

    def is_published(self, obj):
        return obj.state == CleanupCampaign.State.PUBLISHED
