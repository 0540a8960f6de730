// What a screen is to the shell: a mounted element that may follow parameter changes in place
// (filters, the open inspector) and stops its timers and streams when left.

/** View is a mounted screen. */
export interface View {
  el: HTMLElement;
  /** update follows new URL parameters without rebuilding the screen. */
  update?(params: URLSearchParams): void;
  /** destroy stops timers and live streams. */
  destroy?(): void;
}

/** Screen is a named entry of the navigation. */
export interface Screen {
  id: string;
  title: string;
  /** nav is a shorter label for the navigation, when the title is long. */
  nav?: string;
  /** needs is the scope the screen reads with; keys without it do not see the screen. */
  needs: string;
  mount(params: URLSearchParams): View;
}
