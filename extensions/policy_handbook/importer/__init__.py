"""Import a published guideline (text or PDF) as draft clause data, and suggest labels.

No Sphinx here: ``python -m policy_handbook import`` and ``align`` run without it.
Pipeline: decode (or extract from a PDF) -> physical lines -> artefacts removed ->
front matter and forms split off -> lines joined -> structure -> suggestions -> YAML.
"""

from .errors import ImportProblem, ImportRefused

__all__ = ["ImportProblem", "ImportRefused"]
