import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The report parsed as XML into a small tree: parsing fails on any markup that is not
/// well-formed, and the tree lets the tests find sections, tables and chart paths.
final class ReportNode {
    let name: String
    let attributes: [String: String]
    var children: [ReportNode] = []
    var ownText = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    var text: String { ownText + children.map(\.text).joined() }

    func all(_ name: String) -> [ReportNode] {
        (self.name == name ? [self] : []) + children.flatMap { $0.all(name) }
    }

    func all(_ name: String, where key: String, is value: String) -> [ReportNode] {
        all(name).filter { $0.attributes[key] == value }
    }

    /// The text of each row's cells, header row included.
    var rows: [[String]] { all("tr").map { row in row.children.map(\.text) } }

    static func parse(_ html: String) throws -> ReportNode {
        let builder = Builder()
        let parser = XMLParser(data: Data(html.utf8))
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw NSError(domain: "report", code: 1, userInfo: [NSLocalizedDescriptionKey:
                "not well-formed at line \(parser.lineNumber): \(parser.parserError.map { "\($0)" } ?? "")"])
        }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [ReportNode] = []
        var root: ReportNode?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String]) {
            let node = ReportNode(name: name, attributes: attributes)
            stack.last?.children.append(node)
            if root == nil { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.ownText += string
        }
    }
}
