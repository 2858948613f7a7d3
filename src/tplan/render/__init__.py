"""Rendering a plan for people: Markdown and self-contained HTML.

The only package that imports jinja2, and only inside `engine.render_document` for HTML (and
PDF), so `tplan lint` never loads it. `view` turns a validated Plan into plain display values
(every status from `tplan.attainment`, every target from `tplan.targets`), `chart` lays out the
progress charts, `redact` reduces client identifiers, `markdown` escapes plan text for Markdown
and `plan_md` writes the Markdown document (plain Python, every value escaped).
"""
