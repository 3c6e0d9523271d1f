// The council document's disclosures under each paragraph (its latest comments, the initiatives that
// come from it) are filled when a reader first opens them.
//
// Each carries the address of its content (`data-load`) and, when that address is a whole page, the
// part of it to show (`data-part`, a selector). Each also holds a link to that content's own page,
// which is what a reader without scripts follows.
"use strict";

function part(html, selector) {
  if (!selector) {
    return html; // a fragment written for this place
  }
  const found = new DOMParser().parseFromString(html, "text/html").querySelector(selector);
  if (!found) {
    throw new Error(`${selector} is not in the page`);
  }
  return found.outerHTML;
}

document.addEventListener(
  "toggle",
  (event) => {
    const details = event.target;
    if (!details.open || !details.dataset.load || details.dataset.state) {
      return;
    }
    const slot = details.querySelector(".loaded");
    const words = details.closest("[data-loading]").dataset;
    details.dataset.state = "loading";
    slot.setAttribute("aria-busy", "true");
    slot.textContent = words.loading;
    fetch(details.dataset.load, { headers: { Accept: "text/html" } })
      .then((response) => {
        if (!response.ok) {
          throw new Error(`${response.status} ${response.statusText}`);
        }
        return response.text();
      })
      .then((html) => {
        slot.innerHTML = part(html, details.dataset.part); // written and escaped by the portal
        details.dataset.state = "loaded";
      })
      .catch(() => {
        slot.textContent = words.failed;
        delete details.dataset.state; // closing and opening it again tries again
      })
      .finally(() => slot.removeAttribute("aria-busy"));
  },
  true, // toggle does not bubble
);
