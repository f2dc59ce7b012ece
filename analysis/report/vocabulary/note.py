"""What the note says about itself, in words: a stated cost range that reads two ways."""

from __future__ import annotations

from analysis.report import formats as fmt


def two_readings_text(claim) -> str:
    """A stated range that reads two ways (``ClaimStatus.TWO_READINGS``), both readings."""
    stated = fmt.mio_range(claim.omkostning_min, claim.omkostning_max)
    items = list(claim.behov)
    return (
        f"overskriften {stated} kan læses på to måder: fra {claim.alone} alene i den mindste udgave "
        f"({fmt.mio(claim.omkostning_min)}) til alle {len(items)} delposter i den største "
        f"({fmt.mio(claim.omkostning_max)}), og så stemmer den med delposterne; eller som summen af delposternes "
        f"spænd ({', '.join(items)}), {fmt.mio_range(claim.register_min, claim.register_max)}; rapporten regner med "
        "delposterne"
    )
