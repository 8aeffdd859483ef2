"""The planner page: every order as it stands, and a cancellation with a reason (``/planner``).

Orders come from upstream (``POST /api/v1/orders``) or ``central orders add``; the planner sees
them with the batch bound to each and may cancel one, giving a reason. The cancellation is an
``order.cancelled`` event in the server's chain written by the planner (``u:<id>``); a batch
started from the order gets a blocking exception at its station's next pull.
"""

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from central import forms, orders
from central.deps import PlannerDep, ServicesDep

router = APIRouter(include_in_schema=False)


@router.get("/planner", response_class=HTMLResponse)
def planner_page(
    request: Request, services: ServicesDep, user: PlannerDep, done: str = ""
) -> HTMLResponse:
    found = orders.all_orders(services.store)
    return forms.page(request, "planner.html", user=user, orders=found, done=done)


@router.post("/planner/orders/{order_id}/cancel")
async def cancel_order(
    order_id: str, request: Request, services: ServicesDep, user: PlannerDep
) -> RedirectResponse:
    form = await forms.read_form(request)  # its size and CSRF token checked
    reason = form.get("reason", "").strip()[:500]
    try:
        orders.cancel(services.store, order_id, reason, f"planner:{user.id}", f"u:{user.id}")
    except orders.OrderRefused as exc:
        raise HTTPException(exc.status, str(exc)) from None
    return RedirectResponse(f"/planner?done=cancelled+{order_id}", status_code=303)
