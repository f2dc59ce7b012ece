"""An allocation option in words: its label, its weights, its value with the unit of what it
maximises, and how it differs from the recommended option."""

from __future__ import annotations

from analysis.inputs.contracts import POTENTIALS
from analysis.inputs.parameters import Options
from analysis.report import formats as fmt
from analysis.report.vocabulary.labels import COST_LEVEL_LABELS, POTENTIAL_LABELS, STRATEGY_LABELS, STRATEGY_SHORT


def option_label(options: Options) -> str:
    """``Størst potentiale, forventet omkostning``."""
    return f"{STRATEGY_LABELS[options.strategy]}, {COST_LEVEL_LABELS[options.cost_level]} omkostning"


# The unit of an option's value (what it maximises), per strategy, and how it is shown
VALUE_UNITS = {
    "max-potential": ("point, vægtede potentialer 0–5, antaget", "num1"),
    "max-benefit": ("1.000 kr. gevinst pr. år, antaget", "tkr"),
    "max-npv": ("1.000 kr. nutidsværdi, antaget", "tkr"),
    "priority": ("point med de viste vægte, som rækkefølgen ikke vælger efter", "num1"),
}


def value_unit(options: Options) -> str:
    """The unit an option's value is in, named for its strategy."""
    return VALUE_UNITS[options.strategy][0]


def value_text(value: float, options: Options, signed: bool = False) -> str:
    """An option's value (or a change in it) with its unit: ``+3,5 point (…)``, ``18.200``."""
    kind = VALUE_UNITS[options.strategy][1]
    text = fmt.number(abs(value) if signed else value, 1 if kind == "num1" else 0)
    if signed and round(value, 1 if kind == "num1" else 0) != 0:
        text = ("+" if value > 0 else "−") + text
    return f"{text} {value_unit(options)}"


CARRY_OVER_SENSITIVITY = "planlagt overførsel (følsomhed)"
WEIGHT_WORDS = {0: "uden vægt", 0.5: "vægtet halvt", 2: "vægtet dobbelt", 3: "vægtet tredobbelt"}


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]


def weights_text(weights) -> str:
    """The four potentials' weights in words: ``lige vægte``; ``aflastning vægtet dobbelt``
    (relative to the weight most potentials have)."""
    weights = [float(w) for w in weights]
    common = max(set(weights), key=lambda w: (weights.count(w), -w))
    if len(set(weights)) == 1:
        return "lige vægte"
    by_ratio: dict[float, list[str]] = {}
    for name, w in zip(POTENTIALS, weights, strict=True):
        if w != common:
            ratio = w / common if common else float("inf")
            by_ratio.setdefault(ratio, []).append(POTENTIAL_LABELS[name].lower())
    parts = []
    for ratio, names in by_ratio.items():
        word = WEIGHT_WORDS.get(ratio, f"vægtet {fmt.number(ratio, 2).rstrip('0').rstrip(',')} gange")
        parts.append(f"{_and(names)} {word}")
    return "; ".join(parts)


def describe_option(options: Options) -> str:
    """The label, with the weights where the strategy uses them, and planned carry-over
    where it is on (a sensitivity: a plan before ØU fits year by year)."""
    text = option_label(options)
    if options.uses_weights:
        text += ", " + weights_text(options.weights)
    if options.carry_over:
        text += ", " + CARRY_OVER_SENSITIVITY
    return text


def difference_text(main: Options, other: Options) -> str:
    """How ``other``'s settings differ from the main option's, in words: ``maksimum
    omkostning``; ``størst gevinst, aflastning vægtet dobbelt``."""
    parts = []
    if other.strategy != main.strategy:
        parts.append(STRATEGY_SHORT[other.strategy])
    if other.cost_level != main.cost_level:
        parts.append(f"{COST_LEVEL_LABELS[other.cost_level]} omkostning")
    if other.uses_weights and tuple(other.weights) != tuple(main.weights):
        parts.append(weights_text(other.weights))
    if other.carry_over != main.carry_over:
        parts.append("planlagt overførsel af uforbrugte midler" if other.carry_over else "ingen planlagt overførsel")
    return ", ".join(parts) or "samme indstillinger"


def change_text(change) -> str:
    """What an option changes against the recommended one
    (:class:`~analysis.model.allocation.comparison.Change`), in one Danish sentence."""
    parts = []
    if change.same_needs:
        parts.append("de samme behov fra de samme år")
    for need_id, start in change.added.items():
        parts.append(f"{need_id} kommer med fra {start}")
    if change.dropped:
        parts.append(f"{_and(list(change.dropped))} falder ud")
    for need_id, (before, after) in change.moved.items():
        parts.append(f"{need_id} starter {after} i stedet for {before}")
    (now_a, now_b), (all_a, all_b) = change.decided_now, change.cost
    if abs(now_b - now_a) >= 0.5:
        parts.append(
            f"{'men ' if change.same_needs else ''}der udmøntes {fmt.mio(now_b)} nu i stedet for {fmt.mio(now_a)}"
        )
    if abs(all_b - all_a) >= 0.5:
        parts.append(f"{fmt.mio(all_b)} i alt over årene i stedet for {fmt.mio(all_a)}")
    if change.same_needs and len(parts) == 1:
        return "ingen ændring: de samme behov fra de samme år med de samme beløb"
    return _and(parts)
