//! Where the canvas draws jobs, in drawing units, and which column a point falls in.

pub const NODE_WIDTH: f64 = 156.0;
pub const NODE_HEIGHT: f64 = 58.0;
pub const COLUMN_GAP: f64 = 58.0;
pub const ROW_GAP: f64 = 22.0;
pub const PADDING: f64 = 20.0;

/// The top-left corner of the job in `layer` and `row`.
pub fn node_origin(layer: usize, row: usize) -> (f64, f64) {
    (
        PADDING + layer as f64 * (NODE_WIDTH + COLUMN_GAP),
        PADDING + row as f64 * (NODE_HEIGHT + ROW_GAP),
    )
}

/// The drawing's size for `layers` columns of at most `rows` jobs.
pub fn drawing_size(layers: usize, rows: usize) -> (f64, f64) {
    let (right, bottom) = node_origin(layers.max(1), rows.max(1));
    (right - COLUMN_GAP + PADDING, bottom - ROW_GAP + PADDING)
}

/// The column (layer) a drop at `x` lands in: each column reaches halfway into the gaps beside
/// it, and one more column after the last takes a job that runs after every layer. `None` left
/// of the first column or right of that extra one.
pub fn column_at(x: f64, layers: usize) -> Option<usize> {
    let pitch = NODE_WIDTH + COLUMN_GAP;
    let offset = x - (PADDING - COLUMN_GAP / 2.0);
    if !offset.is_finite() || offset < 0.0 {
        return None;
    }
    let column = (offset / pitch).floor() as usize;
    (column <= layers).then_some(column)
}

/// The left edge and width of column `layer`'s drop band.
pub fn column_band(layer: usize) -> (f64, f64) {
    (
        node_origin(layer, 0).0 - COLUMN_GAP / 2.0,
        NODE_WIDTH + COLUMN_GAP,
    )
}

/// The row, fractional, that a point at `y` is nearest to.
pub fn row_at(y: f64) -> f64 {
    ((y - PADDING - NODE_HEIGHT / 2.0) / (NODE_HEIGHT + ROW_GAP)).max(0.0)
}

/// Whether `(x, y)` is on the node at `origin`, or within `slack` units of it.
pub fn on_node(origin: (f64, f64), x: f64, y: f64, slack: f64) -> bool {
    x >= origin.0 - slack
        && x <= origin.0 + NODE_WIDTH + slack
        && y >= origin.1 - slack
        && y <= origin.1 + NODE_HEIGHT + slack
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_cover_the_nodes_and_half_the_gaps() {
        for layer in 0..4 {
            let (x, _) = node_origin(layer, 0);
            assert_eq!(column_at(x, 3), Some(layer));
            assert_eq!(column_at(x + NODE_WIDTH, 3), Some(layer));
            assert_eq!(
                column_at(x + NODE_WIDTH + COLUMN_GAP / 2.0 - 0.1, 3),
                Some(layer)
            );
            let (left, width) = column_band(layer);
            assert_eq!(column_at(left + width / 2.0, 3), Some(layer));
        }
        // Past the extra column after the last, and left of the first: no column.
        assert_eq!(column_at(node_origin(4, 0).0 + 1.0, 3), None);
        assert_eq!(column_at(-20.0, 3), None);
        assert_eq!(column_at(f64::NAN, 3), None);
        assert_eq!(column_at(PADDING, 0), Some(0));
    }

    #[test]
    fn rows_and_nodes() {
        assert_eq!(row_at(0.0), 0.0);
        let (_, y) = node_origin(0, 2);
        assert!((row_at(y + NODE_HEIGHT / 2.0) - 2.0).abs() < 1e-9);
        assert!(on_node((20.0, 20.0), 20.0 + NODE_WIDTH + 6.0, 40.0, 8.0));
        assert!(!on_node((20.0, 20.0), 20.0 + NODE_WIDTH + 6.0, 40.0, 0.0));
        assert_eq!(
            drawing_size(4, 3),
            (4.0 * 214.0 - 58.0 + 40.0, 3.0 * 80.0 - 22.0 + 40.0)
        );
    }
}
