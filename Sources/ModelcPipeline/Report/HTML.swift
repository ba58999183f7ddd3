/// The report's markup, kept XHTML-clean (every attribute quoted, every void element closed,
/// no named entities) so an XML parser can check it, and every piece of text escaped: model,
/// feature and metric names come from whoever built the artifact.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `<tag a="v">content</tag>`; `content` is markup, attribute values are escaped here.
    static func element(_ tag: String, _ attributes: [(String, String)] = [], _ content: String) -> String {
        let attrs = attributes.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
        return "<\(tag)\(attrs)>\(content)</\(tag)>"
    }

    /// An element holding escaped text.
    static func text(_ tag: String, _ text: String, _ attributes: [(String, String)] = []) -> String {
        element(tag, attributes, escape(text))
    }

    /// A table of plain-text cells; the first column is the row's label.
    static func table(_ header: [String], _ rows: [[String]], caption: String? = nil) -> String {
        let head = element("tr", [], header.map { text("th", $0) }.joined())
        let body = rows.map { row in
            element("tr", [], row.map { text("td", $0, isNumber($0) ? [("class", "num")] : []) }.joined())
        }.joined(separator: "\n")
        let cap = caption.map { text("caption", $0) } ?? ""
        return element("table", [], cap + element("thead", [], head) + element("tbody", [], "\n" + body + "\n"))
    }

    /// Numbers (and percentages) are right-aligned so their digits line up.
    static func isNumber(_ text: String) -> Bool {
        text.contains { $0.isNumber } && text.allSatisfy { "0123456789.-+e%".contains($0) }
    }

    /// A two-column table of labelled values.
    static func keyValues(_ pairs: [(String, String)]) -> String {
        let rows = pairs.map { element("tr", [], text("th", $0.0) + text("td", $0.1)) }.joined(separator: "\n")
        return element("table", [("class", "kv")], element("tbody", [], "\n" + rows + "\n"))
    }

    static func section(_ id: String, _ title: String, _ content: [String]) -> String {
        element("section", [("id", id)], "\n" + text("h2", title) + "\n" + content.joined(separator: "\n") + "\n")
    }

    static func empty(_ message: String) -> String { text("p", message, [("class", "empty")]) }
}
