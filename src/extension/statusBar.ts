/**
 * One status bar item for training: the shown run's progress (step / total, loss, paused) and how many other runs
 * are active; a click opens the dashboard. Text building is a pure function, tested without VS Code.
 */
import * as vscode from 'vscode';
import { describeTrainingStatus, type TrainingStatusInput } from './statusText';

export class TrainingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('seqlab.training', vscode.StatusBarAlignment.Left, 5);

  constructor() {
    this.item.name = 'SeqLab Training';
    this.item.command = 'seqlab.showDashboard';
  }

  update(input: TrainingStatusInput | undefined): void {
    if (!input) {
      this.item.hide();
      return;
    }
    const { text, tooltip } = describeTrainingStatus(input);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
