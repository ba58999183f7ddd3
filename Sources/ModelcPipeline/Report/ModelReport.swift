import ModelcFormat

/// `modelc report`: an artifact's model card as one self-contained HTML page — inline CSS and
/// inline SVG, no scripts, fonts or links to fetch — so it can be archived beside the artifact
/// and opened offline. The same model always renders to the same bytes.
public enum ModelReport {
    public static func html(_ model: Modelc_Model) -> String {
        let title = model.info.name.isEmpty ? "unnamed model" : model.info.name
        var sections = [HeaderSection.render(model)]
        if model.hasCard {
            let card = model.card
            sections.insert(SummarySection.render(card), at: 0)
            sections += [
                BacktestSection.render(card.hasBacktest ? card.backtest : nil),
                PolicyFitSection.render(card.policyFit),
                SearchSection.render(card.search),
                WindowsSection.render(card.windows),
                MetricsSection.render(card.overall),
                CalibrationSection.render(card.calibration),
                ImportanceSection.render(card.importance),
                FidelitySection.render(card.fidelity),
                HTML.section("notes", "Notes", [card.notes.isEmpty ? HTML.empty("no notes") : HTML.text("pre", card.notes)]),
            ]
        } else {
            sections.append(HTML.section("card", "Model card", [HTML.empty("no model card")]))
        }
        let version = model.info.version.isEmpty ? "" : " " + model.info.version
        return """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            \(HTML.text("title", "Model card: \(title)\(version)"))
            <style>\(style)</style>
            </head>
            <body>
            \(HTML.text("h1", title + version))
            \(sections.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    private static let style = """

        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330; margin: 24px auto; max-width: 1120px; padding: 0 16px; }
        h1 { font-size: 26px; margin: 0 0 12px; }
        h2 { font-size: 20px; border-bottom: 2px solid #d9dee8; padding-bottom: 4px; margin-top: 32px; }
        h3 { font-size: 15px; margin: 18px 0 6px; }
        table { border-collapse: collapse; margin: 6px 0 12px; font-variant-numeric: tabular-nums; }
        caption { text-align: left; font-weight: 600; padding: 4px 0; }
        th, td { border: 1px solid #d9dee8; padding: 3px 8px; vertical-align: top; }
        thead th { background: #eef1f6; }
        td.num { text-align: right; }
        table.kv th { text-align: left; background: #f5f7fa; font-weight: 600; }
        table.kv td { text-align: left; word-break: break-all; }
        pre { background: #f5f7fa; border: 1px solid #d9dee8; padding: 10px; white-space: pre-wrap; }
        .empty { color: #7a8496; font-style: italic; }
        p.headline { font-size: 16px; font-weight: 600; }
        .row { display: flex; flex-wrap: wrap; gap: 24px; }
        svg.chart { display: block; background: #ffffff; }
        svg .grid { stroke: #e3e7ee; stroke-width: 1; }
        svg .axis { stroke: #6b7385; stroke-width: 1; }
        svg .frame { fill: none; stroke: #6b7385; stroke-width: 1; }
        svg .tick { font-size: 11px; fill: #4a5163; }
        svg .axis-title { font-size: 12px; fill: #1d2330; }
        svg .equity { fill: none; stroke: #1f6fd1; stroke-width: 1.5; }
        svg .drawdown { fill: none; stroke: #c23b3b; stroke-width: 1.2; }
        svg .drawdown-area { fill: #f2c4c4; stroke: none; }
        svg .series { fill: none; stroke: #1f6fd1; stroke-width: 1.5; }
        svg .marker { fill: #1f6fd1; stroke: #ffffff; stroke-width: 1; }
        svg .diagonal { fill: none; stroke: #9aa3b5; stroke-width: 1; stroke-dasharray: 4 3; }
        svg .bar { fill: #3f8f5a; }

        """
}
