"""What the register tells the layers above it: the process layer turns these into notices."""

from django.dispatch import Signal

# A cleanup campaign gave a department documents to propose on: sent with campaign=,
# department=, count=, after the assignment is committed.
items_assigned = Signal()
