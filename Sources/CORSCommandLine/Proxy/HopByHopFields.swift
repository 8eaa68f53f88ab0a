import Foundation
import HTTPTypes

/// The fields that describe one connection, not the message (RFC 9110 §7.6.1): a proxy never
/// forwards them, nor any field the `Connection` header names.
enum HopByHopFields {
    static let names: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authorization", "proxy-authenticate",
    ]

    /// The names `fields` marks as hop-by-hop: the fixed list plus those its `Connection` lists.
    static func names(in fields: HTTPFields) -> Set<String> {
        names(connectionValues: fields[values: .connection])
    }

    /// The names marked hop-by-hop by the fixed list and the given `Connection` values.
    static func names(connectionValues: some Sequence<String>) -> Set<String> {
        var names = Self.names
        for value in connectionValues {
            for token in value.split(separator: ",") {
                let name = token.trimmingCharacters(in: .whitespaces).lowercased()
                if !name.isEmpty { names.insert(name) }
            }
        }
        return names
    }
}
