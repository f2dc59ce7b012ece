"""The robustness page's technical detail for the annex: how each phase drew and solved,
how close to the best each run is proven, and which runs the clock stopped."""

from __future__ import annotations

from analysis.model.robustness import Analysis
from analysis.report import formats as fmt
from analysis.report.blocks import Text

PHASES = (("omkostninger", "costs"), ("vægte", "weights"), ("rammeniveauer", "frontier"))


def gap_note(analysis: Analysis) -> str:
    """How close to the best each run is proven, and which runs the clock stopped."""
    gap = analysis.sampling.gap
    worst = "; ".join(
        f"{name}: {fmt.DASH if g is None else fmt.percent(g, 2)}"
        for name, g in ((name, getattr(analysis, kind).worst_gap()) for name, kind in PHASES)
    )
    stopped = sum(getattr(analysis, kind).at_time_limit() for _, kind in PHASES)
    proven = all(getattr(analysis, kind).worst_gap() == 0 for _, kind in PHASES)
    if gap == 0 and proven and not stopped:
        return "Hver løsning er bevist optimal (MIP-gap 0)."
    text = (
        f"Hver løsning stoppes, når den er bevist inden for {fmt.percent(gap, 2)} af det bedst mulige (MIP-gap)"
        if gap > 0
        else "Hver løsning skal bevises optimal (MIP-gap 0)"
    ) + f"; største gap: {worst}."
    if stopped:
        text += (
            f" {fmt.number(stopped)} løsninger stoppede ved tidsgrænsen: deres svar afhænger af maskinens hastighed, "
            "så samme frø kan give et lidt andet kerneindeks på en anden maskine."
        )
    return text


def method_note(analysis: Analysis) -> Text:
    """The technical detail of the robustness analysis, for the annex."""
    options, sampling = analysis.options, analysis.sampling
    statuses = {name: sorted({s.value for s in getattr(analysis, kind).statuses}) for name, kind in PHASES}
    return Text(
        [
            f"Omkostningsudfald: {fmt.number(analysis.draws)} af højst {fmt.number(sampling.samples)}"
            + (
                f" (adaptivt: stoppet, da alle klasser lå fast eller hvert kerneindeks var kendt inden for "
                f"{fmt.number(sampling.margin * 100)} procentpoint; mindst {fmt.number(sampling.min_samples)})"
                if sampling.adaptive
                else ""
            )
            + ", trukket fra en PERT-fordeling mellem min og max med den forventede omkostning som middelværdi; "
            f"frø {sampling.seed}"
            + (
                "; i samme udfald gevinsten fra en PERT-fordeling mellem gevinst_min og gevinst_max med gevinst som "
                "middelværdi "
                f"(egen strøm af frøet){', og nutidsværdien af de trukne tal' if options.strategy == 'max-npv' else ''}"
                if analysis.benefits
                else ("; nutidsværdien regnet af den trukne omkostning" if options.strategy == "max-npv" else "")
            )
            + ". Vægtninger: lige så mange, jævnt over alle vægtninger af de fire "
            "potentialer, hjørnerne og lige vægte altid med.",
            f"Tidspræference {fmt.number(options.time_preference, 2)}; planlagt overførsel: "
            f"{'ja' if options.carry_over else 'nej'}; "
            f"skal med: {', '.join(options.force_in) or 'ingen'}; må ikke komme med: "
            f"{', '.join(options.force_out) or 'ingen'}; "
            f"tidsgrænse pr. løsning {fmt.number(sampling.time_limit)} s.",
            (
                f"Planår {analysis.plan_year}; påbegyndte investeringer står fast: "
                f"{', '.join(analysis.started) or 'ingen'}."
                if analysis.plan_year is not None
                else "Planår: rammens første år; intet er påbegyndt."
            ),
            "Løserens status: " + "; ".join(f"{kind}: {', '.join(s)}" for kind, s in statuses.items()) + ".",
            "Usikkerhed på kerneindekset (halvdelen af 99 %-intervallet, Wilson): højst "
            f"{fmt.percent(float(analysis.cost_core()['margin'].max()), 1)}. Målværdi (forslagets point efter "
            "vægtene, med tidspræference) over omkostningsudfaldene: "
            + ", ".join(
                f"{label} {fmt.number(analysis.value_distribution().get(key), 1)}"
                for key, label in (("p05", "5 %-fraktil"), ("median", "median"), ("p95", "95 %-fraktil"))
            )
            + ".",
            gap_note(analysis),
        ],
        heading="Robusthed",
    )
