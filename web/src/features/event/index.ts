/** The event page: what is on sale, the pickers, and the way into checkout. */
export { EventPage } from "./EventPage";
