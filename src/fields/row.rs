//! One row of a list in the design, picked by its index, for fields bound to that row.

use slipway_core::Design;

/// The row at `index` of one of the design's lists. Its getters read the default once the row
/// is gone, and its setters then change nothing, so a field outliving its row is harmless.
pub struct Row<R: 'static> {
    index: usize,
    list: fn(&Design) -> &Vec<R>,
    list_mut: fn(&mut Design) -> &mut Vec<R>,
}

impl<R: 'static> Clone for Row<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R: 'static> Copy for Row<R> {}

impl<R: 'static> Row<R> {
    /// The row at `index` of the list that `list` and `list_mut` reach.
    pub fn new(
        index: usize,
        list: fn(&Design) -> &Vec<R>,
        list_mut: fn(&mut Design) -> &mut Vec<R>,
    ) -> Self {
        Row {
            index,
            list,
            list_mut,
        }
    }

    /// A field's getter reading `get` of the row.
    pub fn get<T: Default + 'static>(
        self,
        get: fn(&R) -> T,
    ) -> impl Fn(&Design) -> T + Copy + Send + Sync + 'static {
        move |design| {
            (self.list)(design)
                .get(self.index)
                .map(get)
                .unwrap_or_default()
        }
    }

    /// A field's setter writing the row with `set`.
    pub fn set<T: 'static>(
        self,
        set: fn(&mut R, T),
    ) -> impl Fn(&mut Design, T) + Copy + Send + Sync + 'static {
        move |design, value| {
            if let Some(row) = (self.list_mut)(design).get_mut(self.index) {
                set(row, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use slipway_core::model::Runtime;
    use slipway_core::presets;

    #[test]
    fn a_row_reads_and_writes_its_item_and_ignores_a_missing_one() {
        let mut design = presets::for_runtime(Runtime::Node);
        let count = design.environments.len();
        let last = Row::new(count - 1, |d| &d.environments, |d| &mut d.environments);
        last.set(|e, name| e.name = name)(&mut design, "edge".to_owned());
        assert_eq!(last.get(|e| e.name.clone())(&design), "edge");

        let gone = Row::new(count, |d| &d.environments, |d| &mut d.environments);
        let before = design.clone();
        gone.set(|e, name| e.name = name)(&mut design, "lost".to_owned());
        assert_eq!(design, before);
        assert_eq!(gone.get(|e| e.name.clone())(&design), "");
    }
}
