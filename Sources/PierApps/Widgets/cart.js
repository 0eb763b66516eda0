// The cart widget: shows the items, and changes them through the host with add_to_cart / remove_from_cart.
const $ = (id) => document.getElementById(id);
let cart = null;

function render(c) {
  if (!c || !Array.isArray(c.items)) return;
  cart = c;
  const list = $("items");
  list.replaceChildren();
  for (const item of c.items) {
    const li = document.createElement("li");
    li.dataset.item = item.name;
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = item.name;
    const qty = document.createElement("span");
    qty.className = "qty";
    qty.textContent = String(item.quantity);
    const more = button("+", "Add one " + item.name, () => change("add_to_cart", { items: [{ name: item.name, quantity: 1 }] }));
    const less = button("−", "Remove one " + item.name, () => change("remove_from_cart", { items: [{ name: item.name, quantity: 1 }] }));
    const remove = button("Remove", "Remove every " + item.name, () => change("remove_from_cart", { items: [{ name: item.name }] }));
    remove.classList.add("danger");
    li.append(name, less, qty, more, remove);
    list.append(li);
  }
  const count = c.items.reduce((n, i) => n + i.quantity, 0);
  $("count").textContent = count + (count === 1 ? " item" : " items");
  $("empty").hidden = c.items.length > 0;
  $("checkout").disabled = c.items.length === 0;
  $("ideas").disabled = c.items.length === 0;
  widget.setState({ items: c.items });
  const order = $("order");
  order.hidden = !c.lastOrder;
  if (c.lastOrder) order.textContent = "Order " + c.lastOrder.orderId + " placed: " + c.lastOrder.itemCount + " items.";
}

function button(text, label, onClick) {
  const b = document.createElement("button");
  b.textContent = text;
  b.setAttribute("aria-label", label);
  b.addEventListener("click", onClick);
  return b;
}

async function change(tool, args) {
  $("error").hidden = true;
  if (cart && cart.cartId) args.cartId = cart.cartId;
  try {
    const result = await widget.callTool(tool, args);
    if (result && result.isError) throw new Error((result.content && result.content[0] && result.content[0].text) || "The call failed");
    if (result && result.structuredContent) render(result.structuredContent);
  } catch (e) {
    $("error").textContent = e.message;
    $("error").hidden = false;
  }
}

$("checkout").addEventListener("click", () => change("checkout", {}));

// A follow-up in the conversation, as the user (ui/message, or sendFollowUpMessage on older hosts).
$("ideas").addEventListener("click", () => {
  const names = cart.items.map((i) => i.name).join(", ");
  widget.sendMessage("Suggest a recipe I can make with " + names + ".");
});

// Full screen and back (ui/request-display-mode).
$("expand").addEventListener("click", async () => {
  const wanted = widget.context.displayMode === "fullscreen" ? "inline" : "fullscreen";
  const granted = await widget.requestDisplayMode(wanted);
  $("expand").textContent = granted === "fullscreen" ? "Close" : "Expand";
});

const widget = PierWidget.connect({
  name: "pier-cart",
  onResult: (result) => render(result && result.structuredContent),
});
