package dev.sqlitemetrics.cli.report;

/** The page's style sheet, inline: the page loads nothing. */
final class Style {
    static final String CSS = String.join("",
            "body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px auto;max-width:1000px;",
            "color:#222;padding:0 16px}",
            "h1{font-size:20px;margin:0 0 4px;word-break:break-all}h2{font-size:16px;margin:28px 0 8px}",
            "header p{color:#555;margin:0}",
            ".tiles{display:flex;gap:12px;margin:16px 0}.tile{flex:1;border:1px solid #ddd;border-radius:6px;padding:10px}",
            ".tile .value{font-size:22px;font-weight:600}.tile .name{color:#666}",
            "svg.chart{display:block;max-width:100%;height:auto}",
            "svg .grid{stroke:#e5e5e5;stroke-width:1}svg text{font-size:11px;fill:#555}svg .label{fill:#222}",
            ".legend{list-style:none;padding:0;margin:6px 0 0;display:flex;flex-wrap:wrap;gap:4px 16px}",
            ".swatch{display:inline-block;width:11px;height:11px;margin-right:5px;vertical-align:-1px;border-radius:2px}",
            "table{border-collapse:collapse;width:100%;margin-top:10px;font-size:13px}",
            "th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}",
            "th{color:#555;font-weight:600}.n{text-align:right;white-space:nowrap}.t{white-space:nowrap}",
            "td.m{word-break:break-word;max-width:320px}");

    private Style() {
    }
}
