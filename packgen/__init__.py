"""packgen: print-ready campaign resource packs from layout files.

Pipeline (each stage imports only earlier ones): source (YAML with positions)
→ validate (typed models) → resolve (extends, sizes, styles, content) →
layout (placed boxes in points) → render (ReportLab) → write.
"""

__version__ = "0.1.0"
