"""Presentation: labels in both languages, report blocks, charts, risk tables, workbook, batch render.

Its modules load matplotlib, nbconvert or XlsxWriter; import the one you need
(``from model.outputs import report``)."""

__all__ = ["comparison", "dashboard_labels", "kernel_state", "kernels", "labels", "message_labels", "pdf", "plots",
           "reading_labels", "render", "report", "risk_plots", "risk_tables", "summary", "sweep_files", "sweep_labels",
           "sweep_report", "tables", "workbook", "workbook_annual", "workbook_grid", "workbook_irr", "workbook_metrics",
           "workbook_monthly", "workbook_values"]
