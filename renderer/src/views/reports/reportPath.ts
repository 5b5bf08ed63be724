import type { ReportFormat, ReportTemplate } from '../../../../shared/reports';

/**
 * A report's default file: beside the workspace, named after it and the template. Built from the workspace's
 * own path (the renderer has no path module), keeping its separator style.
 */
export function defaultReportPath(workspace: string, template: ReportTemplate, format: ReportFormat): string {
  const cut = Math.max(workspace.lastIndexOf('/'), workspace.lastIndexOf('\\'));
  const dir = cut >= 0 ? workspace.slice(0, cut + 1) : '';
  const name = (cut >= 0 ? workspace.slice(cut + 1) : workspace).replace(/\.fscope$/i, '');
  return `${dir}${name}-${template}-report.${format}`;
}
