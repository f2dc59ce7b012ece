"""What the command line prints: short Danish summaries of a result for the terminal, and
progress on stderr. The ``--json`` objects are in :mod:`analysis.report.records`."""

from __future__ import annotations

import sys

from analysis.report import formats as fmt


def print_findings(findings, stream=None) -> None:
    stream = stream or sys.stderr
    for finding in findings:
        print(finding, file=stream)


def validation_text(data) -> str:
    """A valid dataset in a few lines: where the note disagrees with itself, and what was read."""
    from analysis.inputs.financing_frame import ClaimStatus
    from analysis.report import register_page

    lines = []
    disagreements = data.claims is not None and (data.claims["status"] != ClaimStatus.AGREES).any()
    disagreements = disagreements or (data.ranges is not None and (data.ranges["status"] != ClaimStatus.AGREES).any())
    if disagreements or data.remarks is not None:
        remark = register_page.prose_summary(data.claims, data.ranges, data.remarks)
        lines.append("bemærk: " + remark.heading)
        lines += [f"  - {line}" for line in remark.lines]
    needs = len(data.register)
    lines.append(f"Inddata er gyldige: {needs} behov, rammen {data.years[0]}–{data.years[-1]} ({data.price_year} p/l).")
    return "\n".join(lines)


def collect_text(result: dict) -> str:
    lines = []
    for entry in result["files"]:
        who = ", ".join(entry["forvaltning"]) or "ingen forvaltning angivet"
        lines.append(
            f"{entry['file']}: {who}; {fmt.count(entry['needs'], 'behov', 'behov')}, forventet "
            f"{fmt.tkr(entry['expected_cost'])} (1.000 kr.); "
            f"{fmt.count(len(entry['warnings']), 'advarsel', 'advarsler')}"
        )
        lines += [f"  {w}" for w in entry["warnings"]]
    if "carried_over" in result:
        carried = result["carried_over"]
        lines.append(
            f"Ført videre fra sidste års register: {fmt.count(len(carried), 'behov', 'behov')}"
            + (f" ({', '.join(carried)})" if carried else "")
        )
        if result.get("dropped"):
            lines.append(f"Ikke ført videre (--drop): {', '.join(result['dropped'])}")
    previous = result.get("against_previous")
    if previous:
        for key, label in (("new", "Nye"), ("gone", "Udgået"), ("recosted", "Nye beløb")):
            lines.append(f"{label} mod sidste års register: {', '.join(previous[key]) or 'ingen'}")
    if result["lacking_estimate"]:
        lines.append("Mangler estimat (skal rykkes for):")
        lines += [f"  {who}: {', '.join(ids)}" for who, ids in result["lacking_estimate"].items()]
    else:
        lines.append("Alle behov har et estimat.")
    if result.get("out"):
        lines.append(f"Samlet register: {result['needs']} behov skrevet til {result['out']}")
    return "\n".join(lines)


def command_line_hints(result) -> list[str]:
    """What the command line adds to a reason an option has no solution: the flag that does
    what the reason says (the reports and the workbench say it in KK's words only)."""
    from analysis.model.allocation.types import ConflictKind, Status

    hints = [
        f"På kommandolinjen stoppes {c.ids[0]} med --release {c.ids[0]}; --force-out gælder kun behov, "
        "der ikke er påbegyndt."
        for c in result.conflicts
        if c.kind == ConflictKind.FORCED_OUT_STARTED
    ]
    if result.status == Status.TIME_LIMIT and result.objective is None:
        hints.append("Giv mere tid med --time-limit.")
    return hints


def infeasible_text(result) -> str:
    """Why an option has no solution, as the command line says it: in KK's words, then the flags."""
    from analysis.report import vocabulary as words

    return "\n".join([words.result_message(result), *command_line_hints(result)])


def allocation_text(result, data) -> str:
    """A short Danish summary of an option for the terminal."""
    from analysis.inputs.contracts import POOLS
    from analysis.inputs.register import need_titles
    from analysis.report import vocabulary as words

    if result.method == "priority":  # a ranking walked in order: nothing was optimised
        status = "rangordning efter registerets prioritet, ikke optimeret" if result.has_option else "ingen løsning"
        lines = [f"{words.option_label(result.options)}: {status}"]
    else:
        lines = [f"{words.option_label(result.options)}: status {result.status.value}"]
    message = words.result_message(result)
    if message:
        lines.append(message)
        lines += command_line_hints(result)
    if not result.has_option:
        return "\n".join(lines)
    gap = "–" if result.mip_gap is None else fmt.percent(result.mip_gap, 2)
    lines.append(
        f"Værdi {fmt.number(result.objective, 2)}, MIP-gap {gap}, løsningstid {fmt.number(result.solve_time_s, 3)} s"
    )
    titles = need_titles(data.register)
    commitments = result.problem.commitments
    if commitments is not None and commitments.started:
        transfer = ", ".join(f"{pool} {fmt.tkr(v)}" for pool, v in zip(POOLS, commitments.transfer_in, strict=True))
        lines.append(f"Planår {commitments.plan_year}; overført ind i {commitments.plan_year}: {transfer}")
    started = result.problem.started
    lines.append("Finansieret (startår):")
    lines += [
        f"  {i:10} {s}  {titles[i]}" + ("  (påbegyndt)" if i in started else "")
        for i, s in sorted(result.selected.items(), key=lambda x: (x[1], x[0]))
    ]
    lines.append("Forbrug og uforbrugte midler (1.000 kr.):")
    spending, unspent = result.spending(), result.unspent()
    for year in spending.index:
        parts = [
            f"{pool} {fmt.tkr(spending.loc[year, pool])} (uforbrugt {fmt.tkr(unspent.loc[year, pool])})"
            for pool in spending.columns
        ]
        lines.append(f"  {year}: " + ", ".join(parts))
    lines.append("Ikke finansieret:")
    for need_id, why in sorted(result.explanations.items()):
        text = f"  {need_id:10} {words.REASON_LABELS[why.reason]}"
        detail = words.explanation_detail(why, words.plan_years(result))
        if detail:
            text += f": {detail}"
        if why.value_lost is not None:
            text += f"; værditab ved at tvinge den ind {fmt.number(why.value_lost, 2)}"
        lines.append(text)
    return "\n".join(lines)


def followup_text(result: dict) -> str:
    lines = [
        f"Opfølgning for {result['year']} (1.000 kr., {result['pl_aar']} p/l)",
        "Styringsområde og år: ramme, overført ind, forbrug, uforbrugt, foreslået overført",
    ]
    from analysis.report.vocabulary import DISPOSITIONS

    for row in result["pools"]:
        lines.append(
            f"  {row['pool']:8} {row['year']}: ramme {fmt.tkr(row['frame'])}, ind {fmt.tkr(row['transfer_in'])}, "
            f"forbrug {fmt.tkr(row['spent'])}, uforbrugt {fmt.tkr(row['unspent'])}, "
            f"overført {fmt.tkr(row['transfer_out'])} (bundet {fmt.tkr(row['bound'])}, fri {fmt.tkr(row['free'])}: "
            f"{DISPOSITIONS[row['free_disposition']]}), tilbageført kassen {fmt.tkr(row['returned'])}"
        )
    lines.append("Gevinster:")
    for row in result["indicators"]:
        progress = fmt.DASH if row["progress"] is None else fmt.percent(row["progress"])
        expected = fmt.percent(row["expected_progress"])
        name = f"{row['id']:8} {row['indicator']}"
        lines.append(f"  {name}: {progress} af vejen (forventet {expected}) – {row['status']}")
    share = fmt.percent(result["coverage"])
    lines.append(f"Dækning: {share} af de finansierede investeringer følges med baseline, mål og måling.")
    return "\n".join(lines)


def robustness_text(result: dict) -> str:
    drawn = "omkostnings- og gevinstudfald" if result.get("benefits_drawn") else "omkostningsudfald"
    lines = [f"Kerneindeks ({result['samples_drawn']} {drawn}, PERT, frø {result['settings']['seed']}):"]
    for need_id, share in sorted(result["core_index"].items(), key=lambda x: (-x[1], x[0])):
        lines.append(f"  {need_id:10} {fmt.percent(share):>6}  {result['core_class'][need_id]}")
    lines.append("Finansieret under alle vægtninger: " + (", ".join(result["funded_under_every_weighting"]) or "ingen"))
    lines.append("Finansieret under ingen vægtning: " + (", ".join(result["funded_under_no_weighting"]) or "ingen"))
    lines.append("Effektiv rand (rammeniveau: bedste værdi):")
    for point in result["frontier"]:
        lines.append(f"  {fmt.percent(point['scale'])}: {fmt.number(point['objective'], 2)}")
    return "\n".join(lines)


def phase_progress(stream):
    """A ``progress(phase, done, total)`` for a robustness run: on a terminal one updating
    line per phase; in a log one line when a phase ends."""
    from analysis.report.vocabulary import ROBUSTNESS_PHASES

    tty = stream.isatty()

    def progress(code: str, done: int, total: int) -> None:
        phase = ROBUSTNESS_PHASES[code]
        if tty:
            print(f"\rRobusthed, {phase}: {done}/{total} udfald", end="", file=stream, flush=True)
        if done == total:
            print(("" if tty else f"Robusthed, {phase}: {total}/{total} udfald"), file=stream, flush=True)

    return progress
