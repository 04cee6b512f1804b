"""The presentation layer: given content, answers and a language, plain typed data for what the
screens, the dashboard and the reports show. Apps and reports render it; nothing here imports a
widget or draws a chart (``lint-imports`` checks)."""
