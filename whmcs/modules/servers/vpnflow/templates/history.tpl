{* Traffic added: the widget fills the table (date, added, before, after, description, invoice) from
   vpnflow's client API. Variables: lib/ClientPage.php. *}
<div class="vpnflow" data-vpnflow-panel data-page="history" data-service-id="{$vpnflow.serviceId|escape:'html'}" data-language="{$vpnflow.locale|escape:'html'}" data-api-url="{$vpnflow.panel.apiUrl|escape:'html'}" data-token="{$vpnflow.panel.token|escape:'html'}" data-token-expires-at="{$vpnflow.panel.tokenExpiresAt|escape:'html'}" data-refresh-seconds="{$vpnflow.panel.refreshSeconds|escape:'html'}">
  <h2>{$vpnflowText.history.title|escape:'html'}</h2>
  <div class="alert alert-warning" role="status" data-live="unavailable"{if $vpnflow.panel.token} hidden{/if}>
    <strong>{$vpnflowText.common.liveUnavailable|escape:'html'}</strong> {$vpnflowText.common.liveUnavailableText|escape:'html'}
  </div>
  <div class="alert alert-info" role="status" data-live="expired" hidden>{$vpnflowText.common.tokenExpired|escape:'html'}</div>
  <noscript><div class="alert alert-info">{$vpnflowText.common.noScript|escape:'html'}</div></noscript>
  <div class="card mb-3">
    <div class="card-body">
      <div class="table-responsive" data-history-table data-invoice-url="{$vpnflow.links.invoice|escape:'html'}" aria-live="polite"><p class="text-muted">{$vpnflowText.common.loading|escape:'html'}</p></div>
    </div>
  </div>
  {if $vpnflow.panel.token}<script src="{$vpnflow.panel.scriptUrl|escape:'html'}" crossorigin="anonymous" defer></script>{/if}
</div>
