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
    return this.page.getByRole('radiogroup', { name: 'People on this page' }).getByRole('radio');
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
}
