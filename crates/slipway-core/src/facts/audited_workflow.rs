//! The GitHub Actions workflow file under audit on this thread, as YAML: what the workflow
//! rules judge when audit mode reads a file rather than a design.

use std::cell::RefCell;
use std::rc::Rc;

use serde_norway::Value;

thread_local! {
    static AUDITED: RefCell<Option<Rc<Value>>> = const { RefCell::new(None) };
}

/// Runs `work` (a check of the design read from a workflow) with the workflow's YAML document
/// in view of the workflow rules ([`current`]).
pub fn with_workflow<T>(document: Value, work: impl FnOnce() -> T) -> T {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            AUDITED.with(|audited| audited.borrow_mut().take());
        }
    }
    AUDITED.with(|audited| *audited.borrow_mut() = Some(Rc::new(document)));
    let _reset = Reset;
    work()
}

/// The workflow under audit; `None` when a design is checked.
pub fn current() -> Option<Rc<Value>> {
    AUDITED.with(|audited| audited.borrow().clone())
}
