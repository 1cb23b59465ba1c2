//! Undo and redo over whole-design snapshots: every edit goes through [`History::apply`].

/// The present value plus the snapshots before and after it.
#[derive(Debug, Clone)]
pub struct History<T> {
    present: T,
    past: Vec<(String, T)>,
    future: Vec<(String, T)>,
    limit: usize,
    /// Whether the newest step is closed to merging (see [`History::apply_merging`]).
    sealed: bool,
    /// Says why an edited value may not become the present (see [`History::with_guard`]).
    guard: Option<fn(&T) -> Option<String>>,
    /// Why the latest edit was refused, until [`History::take_refusal`].
    refusal: Option<String>,
}

impl<T: Clone + PartialEq> History<T> {
    pub fn new(present: T) -> Self {
        History {
            present,
            past: Vec::new(),
            future: Vec::new(),
            limit: 200,
            sealed: true,
            guard: None,
            refusal: None,
        }
    }

    /// Refuses every edit after which `guard` gives a reason: the present stays as it was and
    /// the reason waits in [`History::take_refusal`].
    pub fn with_guard(mut self, guard: fn(&T) -> Option<String>) -> Self {
        self.guard = Some(guard);
        self
    }

    /// Why the latest edit was refused, if it was; cleared by reading it.
    pub fn take_refusal(&mut self) -> Option<String> {
        self.refusal.take()
    }

    /// Whether `next` is refused by the guard (the reason is kept).
    fn refused(&mut self, next: &T) -> bool {
        self.refusal = self.guard.and_then(|guard| guard(next));
        self.refusal.is_some()
    }

    pub fn present(&self) -> &T {
        &self.present
    }

    /// Applies `edit` as one undoable step labelled `label`. An edit that changes nothing
    /// leaves the history untouched. Returns whether anything changed.
    pub fn apply(&mut self, label: &str, edit: impl FnOnce(&mut T)) -> bool {
        let mut next = self.present.clone();
        edit(&mut next);
        if next == self.present || self.refused(&next) {
            return false;
        }
        let previous = std::mem::replace(&mut self.present, next);
        self.past.push((label.to_owned(), previous));
        if self.past.len() > self.limit {
            self.past.remove(0);
        }
        self.future.clear();
        self.sealed = true;
        true
    }

    /// Like [`History::apply`], but folds into the newest step when that step has the same
    /// label and is still open: typing a word into a field is one undo step, not one per key.
    /// [`History::seal`] closes the step (when the field loses focus).
    pub fn apply_merging(&mut self, label: &str, edit: impl FnOnce(&mut T)) -> bool {
        let open_step = !self.sealed
            && self.future.is_empty()
            && self.past.last().is_some_and(|(last, _)| last == label);
        if !open_step {
            let changed = self.apply(label, edit);
            self.sealed = !changed;
            return changed;
        }
        let mut next = self.present.clone();
        edit(&mut next);
        if next == self.present || self.refused(&next) {
            return false;
        }
        self.present = next;
        true
    }

    /// Closes the newest step: the next edit starts a new one.
    pub fn seal(&mut self) {
        self.sealed = true;
    }

    /// Replaces the present value (loading a preset or a file), undoably.
    pub fn replace(&mut self, label: &str, value: T) -> bool {
        self.apply(label, |present| *present = value)
    }

    pub fn undo(&mut self) -> bool {
        match self.past.pop() {
            Some((label, previous)) => {
                let current = std::mem::replace(&mut self.present, previous);
                self.future.push((label, current));
                true
            }
            None => false,
        }
    }

    pub fn redo(&mut self) -> bool {
        match self.future.pop() {
            Some((label, next)) => {
                let current = std::mem::replace(&mut self.present, next);
                self.past.push((label, current));
                true
            }
            None => false,
        }
    }

    /// Label of the edit `undo` would revert.
    pub fn undo_label(&self) -> Option<&str> {
        self.past.last().map(|(label, _)| label.as_str())
    }

    /// Label of the edit `redo` would re-apply.
    pub fn redo_label(&self) -> Option<&str> {
        self.future.last().map(|(label, _)| label.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guarded_history_refuses_edits_and_says_why() {
        fn no_negatives(value: &i32) -> Option<String> {
            (*value < 0).then(|| format!("{value} is negative"))
        }
        let mut history = History::new(1).with_guard(no_negatives);
        assert!(!history.apply("down", |value| *value = -1));
        assert_eq!(history.present(), &1);
        assert_eq!(history.take_refusal().as_deref(), Some("-1 is negative"));
        assert_eq!(history.take_refusal(), None);
        assert!(history.apply_merging("type", |value| *value = 2));
        assert!(!history.apply_merging("type", |value| *value = -2));
        assert_eq!(history.present(), &2);
        assert!(history.take_refusal().is_some());
        assert!(history.undo());
        assert_eq!(history.present(), &1);
    }

    #[test]
    fn undo_and_redo_walk_the_snapshots() {
        let mut history = History::new(1);
        history.apply("add one", |n| *n += 1);
        history.apply("double", |n| *n *= 2);
        assert_eq!(*history.present(), 4);
        assert!(history.undo());
        assert_eq!(*history.present(), 2);
        assert_eq!(history.redo_label(), Some("double"));
        assert!(history.redo());
        assert_eq!(*history.present(), 4);
        assert!(!history.redo());
    }

    #[test]
    fn a_new_edit_discards_the_redo_branch() {
        let mut history = History::new(0);
        history.apply("set", |n| *n = 5);
        history.undo();
        history.apply("set other", |n| *n = 7);
        assert!(!history.redo());
        assert_eq!(history.undo_label(), Some("set other"));
    }

    #[test]
    fn typing_merges_into_one_step_until_sealed() {
        let mut history = History::new(String::new());
        for c in "abc".chars() {
            history.apply_merging("type", |text| text.push(c));
        }
        history.seal();
        history.apply_merging("type", |text| text.push('!'));
        assert_eq!(history.present(), "abc!");
        assert!(history.undo());
        assert_eq!(history.present(), "abc");
        assert!(history.undo());
        assert_eq!(history.present(), "");
    }

    #[test]
    fn a_different_label_starts_a_new_step() {
        let mut history = History::new(String::new());
        history.apply_merging("name", |text| text.push('a'));
        history.apply_merging("image", |text| text.push('b'));
        history.undo();
        assert_eq!(history.present(), "a");
    }

    #[test]
    fn no_op_edits_are_not_recorded() {
        let mut history = History::new(3);
        assert!(!history.apply("nothing", |_| {}));
        assert!(!history.undo());
    }

    #[test]
    fn the_history_is_bounded() {
        let mut history = History::new(0);
        for _ in 0..500 {
            history.apply("inc", |n| *n += 1);
        }
        let mut undone = 0;
        while history.undo() {
            undone += 1;
        }
        assert_eq!(undone, 200);
    }
}
