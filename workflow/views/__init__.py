"""The workflow's pages: ``step`` (the one view that executes any step, handed to the flow by
flows.py), ``desk`` (task lists, submitting, notifications) and ``dossiers`` (the dossier
pages with their tasks and legal clock)."""
