/// Minimum-total-cost matching of rows to columns (the Hungarian method in its Kuhn–Munkres form
/// with row and column potentials), O(n²·m) for n ≤ m: matches palette colours across palettes.
public enum OptimalAssignment {
    /// `costs` is [rows][columns]; the result gives each row its column. With rows ≤ columns every
    /// row gets a distinct column; with more rows than columns each column gets one row and the
    /// rows left over get nil.
    public static func columns(for costs: [[Double]]) -> [Int?] {
        let rows = costs.count, columns = costs.first?.count ?? 0
        precondition(costs.allSatisfy { $0.count == columns }, "assignment costs must be a rectangle")
        guard rows > 0 && columns > 0 else { return [Int?](repeating: nil, count: rows) }
        if rows <= columns { return matched(costs).map { $0 } }
        let transposed = (0..<columns).map { column in (0..<rows).map { costs[$0][column] } }
        var result = [Int?](repeating: nil, count: rows)
        for (column, row) in matched(transposed).enumerated() { result[row] = column }
        return result
    }

    /// For n ≤ m: adds rows one at a time, growing a shortest augmenting path over the reduced
    /// costs c[i][j] − u[i] − v[j] ≥ 0, then flips it. Index 0 is the virtual start column.
    private static func matched(_ costs: [[Double]]) -> [Int] {
        let n = costs.count, m = costs[0].count
        var u = [Double](repeating: 0, count: n + 1), v = [Double](repeating: 0, count: m + 1)
        var rowOfColumn = [Int](repeating: 0, count: m + 1), way = [Int](repeating: 0, count: m + 1)
        for row in 1...n {
            rowOfColumn[0] = row
            var column = 0
            var slack = [Double](repeating: .infinity, count: m + 1)
            var visited = [Bool](repeating: false, count: m + 1)
            repeat {
                visited[column] = true
                let current = rowOfColumn[column]
                var delta = Double.infinity, next = 0
                for j in 1...m where !visited[j] {
                    let reduced = costs[current - 1][j - 1] - u[current] - v[j]
                    if reduced < slack[j] { slack[j] = reduced; way[j] = column }
                    if slack[j] < delta { delta = slack[j]; next = j }
                }
                for j in 0...m {
                    if visited[j] { u[rowOfColumn[j]] += delta; v[j] -= delta } else { slack[j] -= delta }
                }
                column = next
            } while rowOfColumn[column] != 0
            repeat {
                let previous = way[column]
                rowOfColumn[column] = rowOfColumn[previous]
                column = previous
            } while column != 0
        }
        var columnOfRow = [Int](repeating: 0, count: n)
        for j in 1...m where rowOfColumn[j] != 0 { columnOfRow[rowOfColumn[j] - 1] = j - 1 }
        return columnOfRow
    }
}
