"""What the dossier's record tells the layers above it."""

from django.dispatch import Signal

# A draft version's text has been read (a .doc converted in the background): sent with
# version=, after the text is saved. The register's pre-review listens (search.apps).
text_extracted = Signal()
