"""The meeting secretary's agenda: several drafts decided at one meeting, with its minutes."""

urlpatterns: list = []
