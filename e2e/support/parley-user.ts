// Test-only. One person using Parley in a browser, driven the way they would drive it: through
// labelled controls, by role and name, never by CSS class. Each user is a browser context of
// their own, so keys, history and the service worker are theirs alone, as on separate devices.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

import { newUserContext } from './launch-browser.ts';
import type { ParleyUnderTest } from './start-parley.ts';

export class ParleyUser {
  private constructor(
    readonly name: string,
    readonly phoneNumber: string,
    readonly context: BrowserContext,
    public page: Page,
    readonly parley: ParleyUnderTest,
  ) {}

  /** Opens the app in a fresh profile. */
  static async open(
    browser: Browser,
    parley: ParleyUnderTest,
    name: string,
    phoneNumber: string,
  ): Promise<ParleyUser> {
    const context = await newUserContext(browser, parley.url);
    const page = await context.newPage();
    const user = new ParleyUser(name, phoneNumber, context, page, parley);
    user.#watch(page);
    await page.goto('/');
    return user;
  }

  /** Also a new browser profile, signed in as this user's phone number: a linked device. */
  static async linkedDevice(browser: Browser, of: ParleyUser, label: string) {
    const device = await ParleyUser.open(browser, of.parley, label, of.phoneNumber);
    await device.signIn();
    return device;
  }

  /** Signs up with the phone number and a name. */
  async signUp(): Promise<void> {
    await this.#enterCode();
    await this.page.getByRole('textbox', { name: 'Name' }).fill(this.name);
    await this.page.getByRole('button', { name: 'Start messaging' }).click();
    await this.chatList().waitFor();
  }

  /** Signs an existing account in on this browser. */
  async signIn(): Promise<void> {
    await this.#enterCode();
    await this.chatList().waitFor();
  }

  async #enterCode(): Promise<void> {
    const page = this.page;
    const before = this.parley.codes.sentTo(this.phoneNumber).length;
    await page.getByRole('textbox', { name: 'Phone number' }).fill(this.phoneNumber);
    await page.getByRole('button', { name: 'Send code' }).click();
    const code = await this.parley.codes.waitForCode(this.phoneNumber, { count: before + 1 });
    // Six digits submit the form by themselves.
    await page.getByRole('textbox', { name: 'Six-digit code' }).fill(code);
  }

  chatList(): Locator {
    return this.page.getByRole('navigation', { name: 'Chats' });
  }

  /** The row of a chat in the list, by its title. */
  chatRow(title: string): Locator {
    return this.chatList().getByRole('listitem').filter({ hasText: title });
  }

  async startChatWith(other: { readonly phoneNumber: string }): Promise<void> {
    await this.page.getByRole('button', { name: 'New chat' }).first().click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Phone number' }).fill(other.phoneNumber);
    await dialog.getByRole('button', { name: 'Start chat' }).click();
    await this.composer().waitFor();
  }

  async openChat(title: string): Promise<void> {
    await this.chatRow(title).getByRole('button').first().click();
    await this.composer().waitFor();
  }

  composer(): Locator {
    return this.page.getByRole('textbox', { name: 'Message' });
  }

  async send(text: string): Promise<void> {
    await this.composer().fill(text);
    await this.composer().press('Enter');
  }

  /** The open conversation's messages. */
  messages(): Locator {
    return this.page.getByRole('region', { name: 'Messages' });
  }

  /**
   * The open conversation's message whose own text (not a quote of it in a reply) contains
   * `text`; the newest, when several do.
   */
  message(text: string): Locator {
    return this.page
      .locator('[data-message-id]')
      .filter({ has: this.page.locator('.bubble__text', { hasText: text }) })
      .last();
  }

  /** The tick of one of this user's own messages: Sending, Sent, Delivered, Read, Not sent. */
  tickOf(text: string): Locator {
    return this.message(text).getByRole('img', {
      name: /^(Sending|Sent|Delivered|Read|Not sent)$/,
    });
  }

  /** Opens a message's action menu and picks an action by its name. */
  async messageAction(text: string, action: string | RegExp): Promise<void> {
    const message = this.message(text);
    await message.hover();
    await message.getByRole('button', { name: 'Message actions' }).click();
    await this.page.getByRole('menuitem', { name: action }).first().click();
  }

  /** The open conversation's status line: "online", "typing…", "last seen …". */
  status(): Locator {
    return this.page.getByRole('main').locator('header').getByRole('paragraph');
  }

  /** What the server's Content-Security-Policy blocked in this user's pages: nothing, ideally. */
  readonly blocked: string[] = [];

  #watch(page: Page): void {
    page.on('pageerror', (error) => {
      console.log(`[${this.name}] page error: ${error.message}`);
    });
    page.on('console', (message) => {
      if (/Content Security Policy/.test(message.text())) this.blocked.push(message.text());
    });
    // The app's own warnings (a connection lost on purpose, say) only when asked for.
    if (!process.env.E2E_BROWSER_CONSOLE) return;
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        console.log(`[${this.name}] ${message.type()}: ${message.text()}`);
      }
    });
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.chatList().waitFor();
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
