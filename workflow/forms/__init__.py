"""One form per step of the flow, grouped by who acts: each validates what the person typed,
and ``perform()`` hands the cleaned data to the step's domain function (actions.py)."""

from .base import PassOrReturnForm, StepForm
from .drafter import NegotiationForm, ObjectionForm, RevisionForm, RulingForm
from .intake import CompletenessForm, DeptCheckForm, SupplementForm
from .issuing import MeetingForm, RecheckForm, RegistrationForm
from .opinion import FindingForm, FindingFormSet, HeadSignForm, LateOpinionForm, LegalReviewForm

__all__ = [
    "CompletenessForm",
    "DeptCheckForm",
    "FindingForm",
    "FindingFormSet",
    "HeadSignForm",
    "LateOpinionForm",
    "LegalReviewForm",
    "MeetingForm",
    "NegotiationForm",
    "ObjectionForm",
    "PassOrReturnForm",
    "RecheckForm",
    "RegistrationForm",
    "RevisionForm",
    "RulingForm",
    "StepForm",
    "SupplementForm",
]
