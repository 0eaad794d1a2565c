// The supervisor's pages, one chunk loaded when a supervisor first opens one (see App.tsx).
export { AlertFiguresPage } from '../features/supervisor/AlertFiguresPage';
export { AuditLogPage } from '../features/supervisor/AuditLogPage';
export { EscalationInboxPage } from '../features/supervisor/EscalationInboxPage';
export { HistoryPage } from '../features/supervisor/HistoryPage';
export { ReplayPage } from '../features/supervisor/ReplayPage';
export { ReportPage } from '../features/supervisor/ReportPage';
export { SchedulePage } from '../features/supervisor/SchedulePage';
export { SupervisorLayout } from '../features/supervisor/SupervisorLayout';
