from django.contrib import admin

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


@admin.register(CampaignItem)
class CampaignItemAdmin(admin.ModelAdmin):
    list_display = ["document", "campaign", "department", "state", "decision"]
    list_filter = ["state", "decision", "campaign"]
    readonly_fields = ["campaign", "document", "state", "decision", "reason", "proposed_by",
                       "review_comment", "reviewed_by"]  # fmt: skip
    inlines = [EventInline]


@admin.register(CleanupCampaign)
class CleanupCampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "created_at", "published_on"]
    readonly_fields = ["state", "published_on", "published_by", "created_by"]
