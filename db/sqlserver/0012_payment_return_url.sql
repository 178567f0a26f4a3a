-- The page of ours a tenant goes back to after paying (the phone page with the order's number), checked to be this
-- platform's own origin when the order is made, so no order can send a payer elsewhere. NULL: no way back was asked.
ALTER TABLE payment_orders ADD return_url NVARCHAR(2048) NULL;
