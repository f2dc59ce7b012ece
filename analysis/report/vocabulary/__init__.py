"""KK's words, in one place: every Danish label the reports, the command line and the JSON
``reason_text``/``detail``/``message`` fields show for the model's codes.

The model speaks in codes (``Status``, ``Reason``, pool and potential codes); this package
turns them into Danish, one module for each thing it words:

- :mod:`.labels`: the codes' labels (pools, statuses, strategies, reasons, register fields,
  the ledger's arts, the OFS's dispositions) and the marks of assumptions;
- :mod:`.options`: an allocation option, its weights and its value;
- :mod:`.events`: the cycle's events;
- :mod:`.explanations`: why a need is left out, why an option has no solution;
- :mod:`.decisions`: a decision the data cannot take;
- :mod:`.note`: what the note says about itself.

Codes in JSON and on the command line keep their values; only the display text lives here.
Every name is also read from the package itself (``vocabulary.REASON_LABELS``).
"""

from analysis.report.vocabulary.decisions import decision_detail, decision_text
from analysis.report.vocabulary.events import event_title, event_when, first_udmoentning, indicative, transfer_case
from analysis.report.vocabulary.explanations import (
    OPTIMAL_STATUS,
    PRIORITY_STATUS,
    TIME_LIMIT_STATUS,
    conflict_text,
    explanation_detail,
    extra_frame_text,
    plan_years,
    result_message,
    shortage_text,
    status_text,
    value_lost_text,
)
from analysis.report.vocabulary.labels import (
    ARTS,
    AS_DECIDED_NOTE,
    ASSUMED,
    BENEFIT_STATUS,
    CHANGE_LABELS,
    CLAIM_STATUS,
    CORE_CLASS,
    COST_LEVEL_LABELS,
    DISPOSITIONS,
    FIELD_LABELS,
    ILLUSTRATIVE,
    NOT_STATED,
    OWN_YEARS_NOTE,
    OWN_YEARS_UNIT,
    POOL_FRAMES,
    POOL_LABELS,
    POTENTIAL_LABELS,
    REASON_LABELS,
    ROBUSTNESS_PHASES,
    SOLVER_STATUS,
    SPENDING_SOURCES,
    STANDING_LABELS,
    STRATEGY_LABELS,
    STRATEGY_SHORT,
    TOTAL_ROWS,
    assumed_fields,
    illustrative,
    illustrative_mark,
    mark,
    spending_sources,
    unit,
)
from analysis.report.vocabulary.note import two_readings_text
from analysis.report.vocabulary.options import (
    CARRY_OVER_SENSITIVITY,
    VALUE_UNITS,
    WEIGHT_WORDS,
    change_text,
    describe_option,
    difference_text,
    option_label,
    value_text,
    value_unit,
    weights_text,
)

__all__ = [
    "ARTS",
    "ASSUMED",
    "BENEFIT_STATUS",
    "CARRY_OVER_SENSITIVITY",
    "CHANGE_LABELS",
    "CLAIM_STATUS",
    "CORE_CLASS",
    "COST_LEVEL_LABELS",
    "DISPOSITIONS",
    "FIELD_LABELS",
    "ILLUSTRATIVE",
    "NOT_STATED",
    "OWN_YEARS_NOTE",
    "AS_DECIDED_NOTE",
    "OWN_YEARS_UNIT",
    "OPTIMAL_STATUS",
    "POOL_FRAMES",
    "POOL_LABELS",
    "POTENTIAL_LABELS",
    "PRIORITY_STATUS",
    "REASON_LABELS",
    "ROBUSTNESS_PHASES",
    "SOLVER_STATUS",
    "SPENDING_SOURCES",
    "STANDING_LABELS",
    "STRATEGY_LABELS",
    "STRATEGY_SHORT",
    "TIME_LIMIT_STATUS",
    "TOTAL_ROWS",
    "VALUE_UNITS",
    "WEIGHT_WORDS",
    "assumed_fields",
    "change_text",
    "conflict_text",
    "decision_detail",
    "decision_text",
    "describe_option",
    "difference_text",
    "event_title",
    "event_when",
    "explanation_detail",
    "extra_frame_text",
    "first_udmoentning",
    "illustrative",
    "illustrative_mark",
    "indicative",
    "mark",
    "option_label",
    "plan_years",
    "result_message",
    "shortage_text",
    "spending_sources",
    "status_text",
    "transfer_case",
    "two_readings_text",
    "unit",
    "value_lost_text",
    "value_text",
    "value_unit",
    "weights_text",
]
