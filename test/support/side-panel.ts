import type { Locator, Page } from 'playwright-core';

/** The side panel as a rep uses it: by labels and roles, never by CSS classes. */
export class SidePanel {
  constructor(readonly page: Page) {}

  async configure(apiUrl: string, token: string) {
    await this.page.getByLabel('API URL').fill(apiUrl);
    await this.page.getByLabel('API token').fill(token);
    await this.page.getByRole('button', { name: 'Save' }).click();
    await this.page.getByRole('heading', { name: 'This page', exact: true }).waitFor();
  }

  async showHotLeads() {
    await this.page.getByRole('tab', { name: 'Hot leads' }).click();
    await this.page.getByRole('heading', { name: 'Hot leads' }).waitFor();
  }

  async addLead(
    fields: Partial<Record<'Full name' | 'E-mail' | 'Title' | 'Company' | 'Phone' | 'LinkedIn URL', string>>,
  ) {
    await this.page.getByRole('tab', { name: 'Add' }).click();
    for (const [label, value] of Object.entries(fields)) {
      await this.page.getByLabel(label, { exact: true }).fill(value);
    }
    await this.page.getByRole('button', { name: 'Save lead' }).click();
  }

  leadList(): Locator {
    return this.page.getByTestId('lead-list');
  }

  status(): Locator {
    return this.page.getByTestId('connection-status');
  }

  /** "This page": the capture of the tab the rep looked at last. */
  async showThisPage() {
    await this.page.getByRole('tab', { name: 'This page' }).click();
    await this.page.getByRole('heading', { name: 'This page', exact: true }).waitFor();
  }

  /** The people the page offers when there are several. */
  candidates(): Locator {
    // Each choice is a label wrapping its radio: the label holds the name, the radio the state.
    return this.page.getByRole('group', { name: 'People on this page' }).locator('label');
  }

  /** An input of the preview (or of "Add"), by its visible label. */
  field(
    label: 'Full name' | 'E-mail' | 'Title' | 'Company' | 'Phone' | 'LinkedIn URL' | 'Website' | 'Location',
  ) {
    return this.page.getByLabel(label, { exact: true });
  }

  async saveLead() {
    await this.page.getByRole('button', { name: 'Save lead' }).click();
  }

  /** The card of a lead the team already has (or that was just saved). */
  knownLead(): Locator {
    return this.page.getByTestId('known-lead');
  }

  nobodyFound(): Locator {
    return this.page.getByTestId('nobody-found');
  }

  /** "Leadline could not read this page": the extractor broke, which is not an empty page. */
  pageUnreadable(): Locator {
    return this.page.getByTestId('page-unreadable');
  }

  /** Opens a lead from "Hot leads" by the name on its row, and waits for its score. */
  async openHotLead(name: string) {
    await this.showHotLeads();
    await this.leadList().getByRole('button', { name }).click();
    await this.page.getByRole('heading', { name, exact: true }).waitFor();
    await this.score().waitFor();
  }

  /** The open lead's score on its card. */
  score(): Locator {
    return this.page.getByTestId('lead-score');
  }

  /** The open lead's score as a number (the live, ticking one the rep sees). */
  async scoreValue(): Promise<number> {
    return Number(await this.score().textContent());
  }

  /** A one-click touchpoint button ("Call", "Meeting booked"...), by its label (its key may lead the name). */
  touchpoint(label: string): Locator {
    const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return this.page
      .getByRole('region', { name: 'Log a touchpoint' })
      .getByRole('button', { name: new RegExp(`^(\\d )?${escaped}$`) });
  }

  /** Takes focus out of any field, so a digit is a shortcut rather than typing. */
  async blur() {
    await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  }

  timeline(): Locator {
    return this.page.getByTestId('timeline');
  }

  /** "N touchpoints waiting to be sent" on the lead's card. */
  pendingCount(): Locator {
    return this.page.getByTestId('pending-count');
  }

  /** The outbox notice at the top: "N changes waiting to be sent". */
  outboxWaiting(): Locator {
    return this.page.getByTestId('outbox-waiting');
  }

  async undo() {
    await this.page.getByRole('status').getByRole('button', { name: 'Undo' }).click();
  }
}
