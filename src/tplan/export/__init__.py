"""Exports of a checked plan to other formats. `fhir.build_bundle` is the FHIR R4 transaction
Bundle; one module per resource family. Nothing here is imported on the lint path."""
