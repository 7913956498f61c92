//! The contract between the workflow engine (`service`: drafts, Save & Continue,
//! Default Last, No Changes, Finish) and the workflow kinds. Each kind implements
//! [`Workflow`] once, in its own folder (`intake`, `exit` for Exit and Edit Exit,
//! `update` for update and annual assessments, `edit_entry`) with one `workflow!` line
//! over its functions; `WorkflowKind::workflow` is the one place that names them, so the engine never asks which kind it runs and a
//! new kind is a folder and a line there.

use std::future::Future;
use std::pin::Pin;

use super::api::{StepView, WorkflowKind};
use super::service::{Draft, StepDef};
use crate::error::AppError;
use crate::session::CurrentSession;
use crate::state::AppState;
use crate::ui::fields::Answers;

/// A kind's answer, still to come (the trait is used as `dyn Workflow`).
pub(crate) type Pending<'a, T> = Pin<Box<dyn Future<Output = Result<T, AppError>> + Send + 'a>>;

/// What a workflow kind supplies.
pub(crate) trait Workflow: Sync {
    /// The steps of this draft, in order (they may change as steps are saved: members
    /// added, a project chosen).
    fn steps(&self, draft: &Draft) -> Vec<StepDef>;

    /// One step's page, drawn from the draft's answers.
    fn render<'a>(
        &'a self,
        state: &'a AppState,
        session: &'a CurrentSession,
        draft: &'a Draft,
        step: &'a StepDef,
    ) -> Pending<'a, StepView>;

    /// Default Last: the step filled from the member's latest records (not saved).
    fn default_last<'a>(
        &'a self,
        state: &'a AppState,
        draft: &'a Draft,
        step: &'a str,
    ) -> Pending<'a, Answers>;

    /// Before a step's answers are kept: completes them (No Changes keeps what is on
    /// record). A problem that makes checking pointless answers `Some`.
    fn prepare<'a>(
        &'a self,
        state: &'a AppState,
        draft: &'a Draft,
        step: &'a str,
        answers: &'a mut Answers,
    ) -> Pending<'a, Option<AppError>>;

    /// The step's checks, against the draft and what is recorded.
    fn check_step<'a>(
        &'a self,
        state: &'a AppState,
        session: &'a CurrentSession,
        draft: &'a Draft,
        step: &'a str,
    ) -> Pending<'a, ()>;

    /// After a step is saved and checked: what it changes in the draft (members who
    /// exit, the assessment chosen). Nothing by default.
    fn after_save<'a>(
        &'a self,
        _state: &'a AppState,
        _draft: &'a mut Draft,
        _step: &'a str,
    ) -> Pending<'a, ()> {
        Box::pin(async { Ok(()) })
    }

    /// Finish: every row written in one transaction; answers where the user goes.
    fn finish<'a>(
        &'a self,
        state: &'a AppState,
        session: &'a CurrentSession,
        draft: &'a Draft,
    ) -> Pending<'a, String>;

    /// Where the user goes when the workflow is finished or thrown away: the client's
    /// dashboard (home without a client).
    fn back_to(&self, draft: &Draft) -> String {
        match &draft.model.personal_id {
            Some(id) => crate::routes::client(id),
            None => crate::routes::HOME.to_string(),
        }
    }
}

/// What a kind's `prepare` answers: nothing, or the problems that make checking the
/// step pointless.
pub(crate) trait Prepared {
    fn problems(self) -> Option<AppError>;
}

impl Prepared for () {
    fn problems(self) -> Option<AppError> {
        None
    }
}

impl Prepared for Option<AppError> {
    fn problems(self) -> Option<AppError> {
        self
    }
}

/// Implements [`Workflow`] as `$name` for the kind module it is invoked in, whose
/// functions have the contract's shapes: `steps(draft)`, `render(state, session,
/// draft, step)`, `default_last(state, draft, step)`, `prepare(state, draft, step,
/// answers)` (answering `()` or the problems found), `check_step(state, session,
/// draft, step)`, `finish(state, session, draft)`; and, when named after the kind,
/// `after_save(state, draft, step)` and `back_to(draft)`.
macro_rules! workflow {
    ($name:ident $(, $extra:ident)*) => {
        pub(crate) struct $name;

        impl $crate::features::workflows::contract::Workflow for $name {
            fn steps(
                &self,
                draft: &$crate::features::workflows::service::Draft,
            ) -> Vec<$crate::features::workflows::service::StepDef> {
                steps(draft)
            }

            fn render<'a>(
                &'a self,
                state: &'a $crate::state::AppState,
                session: &'a $crate::session::CurrentSession,
                draft: &'a $crate::features::workflows::service::Draft,
                step: &'a $crate::features::workflows::service::StepDef,
            ) -> $crate::features::workflows::contract::Pending<'a, $crate::features::workflows::api::StepView> {
                Box::pin(render(state, session, draft, step))
            }

            fn default_last<'a>(
                &'a self,
                state: &'a $crate::state::AppState,
                draft: &'a $crate::features::workflows::service::Draft,
                step: &'a str,
            ) -> $crate::features::workflows::contract::Pending<'a, $crate::ui::fields::Answers> {
                Box::pin(default_last(state, draft, step))
            }

            fn prepare<'a>(
                &'a self,
                state: &'a $crate::state::AppState,
                draft: &'a $crate::features::workflows::service::Draft,
                step: &'a str,
                answers: &'a mut $crate::ui::fields::Answers,
            ) -> $crate::features::workflows::contract::Pending<'a, Option<$crate::error::AppError>> {
                Box::pin(async move {
                    let prepared = prepare(state, draft, step, answers).await?;
                    Ok($crate::features::workflows::contract::Prepared::problems(prepared))
                })
            }

            fn check_step<'a>(
                &'a self,
                state: &'a $crate::state::AppState,
                session: &'a $crate::session::CurrentSession,
                draft: &'a $crate::features::workflows::service::Draft,
                step: &'a str,
            ) -> $crate::features::workflows::contract::Pending<'a, ()> {
                Box::pin(check_step(state, session, draft, step))
            }

            fn finish<'a>(
                &'a self,
                state: &'a $crate::state::AppState,
                session: &'a $crate::session::CurrentSession,
                draft: &'a $crate::features::workflows::service::Draft,
            ) -> $crate::features::workflows::contract::Pending<'a, String> {
                Box::pin(finish(state, session, draft))
            }

            $( $crate::features::workflows::contract::workflow!(@$extra); )*
        }
    };
    (@after_save) => {
        fn after_save<'a>(
            &'a self,
            state: &'a $crate::state::AppState,
            draft: &'a mut $crate::features::workflows::service::Draft,
            step: &'a str,
        ) -> $crate::features::workflows::contract::Pending<'a, ()> {
            Box::pin(after_save(state, draft, step))
        }
    };
    (@back_to) => {
        fn back_to(&self, draft: &$crate::features::workflows::service::Draft) -> String {
            back_to(draft)
        }
    };
}
pub(crate) use workflow;

impl WorkflowKind {
    /// The kind's implementation of the contract.
    pub(crate) fn workflow(self) -> &'static dyn Workflow {
        match self {
            WorkflowKind::Intake => &super::intake::Intake,
            WorkflowKind::Exit | WorkflowKind::EditExit => &super::exit::Exit,
            WorkflowKind::Assessment => &super::update::Update,
            WorkflowKind::EditEntry => &super::edit_entry::EditEntry,
        }
    }
}
