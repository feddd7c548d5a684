{* The service's overview. Variables: lib/ClientPage.php and lib/ClientArea.php. WHMCS prints template
   values as they are, so every value is escaped here; only the protocols' customHtml, which staff write
   in the product's settings, is printed as HTML (trusted, like the rest of the product's settings). *}
<div class="vpnflow" data-vpnflow-panel data-page="overview" data-service-id="{$vpnflow.serviceId|escape:'html'}" data-language="{$vpnflow.locale|escape:'html'}" data-api-url="{$vpnflow.panel.apiUrl|escape:'html'}" data-token="{$vpnflow.panel.token|escape:'html'}" data-token-expires-at="{$vpnflow.panel.tokenExpiresAt|escape:'html'}" data-refresh-seconds="{$vpnflow.panel.refreshSeconds|escape:'html'}">
  <div class="alert alert-warning" role="status" data-live="unavailable"{if $vpnflow.available} hidden{/if}>
    <strong>{$vpnflowText.common.liveUnavailable|escape:'html'}</strong> {$vpnflowText.common.liveUnavailableText|escape:'html'}
  </div>
  <div class="alert alert-info" role="status" data-live="expired" hidden>{$vpnflowText.common.tokenExpired|escape:'html'}</div>
  <div class="alert alert-danger" role="alert" data-live="limited"{if !$vpnflow.limitedByTraffic} hidden{/if}>{$vpnflowText.traffic.limited|escape:'html'}</div>

  <div class="card mb-3">
    <div class="card-body">
      <h3 class="card-title">{$vpnflowText.overview.title|escape:'html'}</h3>
      {if $vpnflow.setupInstructionsUrl}
      <p><a class="btn btn-primary" href="{$vpnflow.setupInstructionsUrl|escape:'html'}" target="_blank" rel="noopener">{$vpnflowText.overview.setupInstructions|escape:'html'}</a></p>
      {/if}
      <dl class="row mb-0 vpnflow-credentials">
        {if $vpnflow.available}
        <dt class="col-sm-4">{$vpnflowText.status.label|escape:'html'}</dt>
        <dd class="col-sm-8" data-live="status">{$vpnflow.status.text|escape:'html'}</dd>
        {/if}
        {if $vpnflow.server}
        <dt class="col-sm-4">{$vpnflowText.overview.server|escape:'html'}</dt>
        <dd class="col-sm-8"><code id="vpnflow-server">{$vpnflow.server|escape:'html'}</code> <button type="button" class="btn btn-sm btn-outline-secondary" data-copy="vpnflow-server" hidden>{$vpnflowText.common.copy|escape:'html'}</button></dd>
        {/if}
        <dt class="col-sm-4">{$vpnflowText.overview.username|escape:'html'}</dt>
        <dd class="col-sm-8"><code id="vpnflow-username">{$vpnflow.username|escape:'html'}</code> <button type="button" class="btn btn-sm btn-outline-secondary" data-copy="vpnflow-username" hidden>{$vpnflowText.common.copy|escape:'html'}</button></dd>
        <dt class="col-sm-4">{$vpnflowText.overview.password|escape:'html'}</dt>
        {if $vpnflow.permissions.showPassword}
        <dd class="col-sm-8"><details class="vpnflow-secret"><summary>{$vpnflowText.common.show|escape:'html'}</summary><code id="vpnflow-password">{$vpnflow.password|escape:'html'}</code> <button type="button" class="btn btn-sm btn-outline-secondary" data-copy="vpnflow-password" hidden>{$vpnflowText.common.copy|escape:'html'}</button></details></dd>
        {else}
        <dd class="col-sm-8 text-muted" aria-disabled="true" data-forbidden="showPassword"><button type="button" class="btn btn-sm btn-outline-secondary" disabled>{$vpnflowText.common.show|escape:'html'}</button> {$vpnflowText.overview.passwordHidden|escape:'html'}</dd>
        {/if}
      </dl>
    </div>
  </div>

  {if $vpnflow.protocols}
  <div class="card mb-3">
    <div class="card-body">
      <h3 class="card-title">{$vpnflowText.overview.protocols|escape:'html'}</h3>
      {foreach $vpnflow.protocols as $protocol}
      <section class="vpnflow-protocol mb-3" data-protocol="{$protocol.key|escape:'html'}">
        <h4>{$protocol.name|escape:'html'}</h4>
        {if $protocol.ipsecSecret}
        <div class="mb-3">{$vpnflowText.overview.ipsecSecret|escape:'html'}: <details class="vpnflow-secret d-inline-block"><summary>{$vpnflowText.common.show|escape:'html'}</summary><code id="vpnflow-psk">{$protocol.ipsecSecret|escape:'html'}</code> <button type="button" class="btn btn-sm btn-outline-secondary" data-copy="vpnflow-psk" hidden>{$vpnflowText.common.copy|escape:'html'}</button></details></div>
        {/if}
        {if $protocol.hasProfile}
        <p><a class="btn btn-outline-primary" href="{$vpnflow.links.downloadProfile|escape:'html'}" download>{$vpnflowText.overview.downloadProfile|escape:'html'}</a></p>
        {/if}
        {if $protocol.customHtml}<div class="vpnflow-custom-html">{$protocol.customHtml}</div>{/if}
      </section>
      {/foreach}
    </div>
  </div>
  {/if}

  <div class="card mb-3 {if $vpnflow.live.online}vpnflow-online{else}vpnflow-offline{/if}" data-live="card">
    <div class="card-body">
      <h3 class="card-title">{$vpnflowText.connection.title|escape:'html'} <span class="badge {if $vpnflow.live.online}badge-success{else}badge-secondary{/if}" data-live="state">{if $vpnflow.available}{$vpnflow.live.state|escape:'html'}{else}{$vpnflowText.common.liveUnavailable|escape:'html'}{/if}</span></h3>
      <div class="table-responsive" data-live="session-table"{if !$vpnflow.live.online} hidden{/if}>
        <table class="table table-sm">
          <thead><tr><th scope="col">{$vpnflowText.connection.protocol|escape:'html'}</th><th scope="col">{$vpnflowText.connection.callerId|escape:'html'}</th><th scope="col">{$vpnflowText.connection.address|escape:'html'}</th><th scope="col">{$vpnflowText.connection.uptime|escape:'html'}</th></tr></thead>
          <tbody data-live="sessions">
            {foreach $vpnflow.live.sessions as $session}
            <tr><td>{$session.protocol|escape:'html'}</td><td>{$session.callerId|escape:'html'}</td><td>{$session.address|escape:'html'}</td><td>{$session.uptime|escape:'html'}</td></tr>
            {/foreach}
          </tbody>
        </table>
      </div>
      <p class="text-muted small" data-live="as-of">{$vpnflow.live.asOf|escape:'html'}</p>
      <form method="post" action="{$vpnflow.links.action|escape:'html'}" class="vpnflow-reset{if !$vpnflow.reset.allowed} text-muted{/if}"{if !$vpnflow.reset.allowed} aria-disabled="true" data-forbidden="resetConnection"{/if}>
        <input type="hidden" name="token" value="{$token|escape:'html'}">
        <input type="hidden" name="modop" value="custom">
        <input type="hidden" name="a" value="resetConnection">
        <button type="submit" class="btn btn-warning" data-live="reset" data-allowed="{if $vpnflow.reset.allowed}true{else}false{/if}"{if !$vpnflow.reset.enabled} disabled{/if}>{$vpnflowText.connection.reset|escape:'html'}</button>
        <small class="form-text text-muted">{if $vpnflow.reset.allowed}{$vpnflowText.connection.resetHelp|escape:'html'}{else}{$vpnflowText.common.notAllowed|escape:'html'}{/if}</small>
      </form>
    </div>
  </div>

  <div class="card mb-3">
    <div class="card-body">
      <h3 class="card-title">{$vpnflowText.traffic.title|escape:'html'}</h3>
      <dl class="row mb-0">
        {if $vpnflow.available}
        <dt class="col-sm-5">{$vpnflowText.traffic.balance|escape:'html'}</dt>
        <dd class="col-sm-7" data-live="balance">{$vpnflow.traffic.balance|escape:'html'}</dd>
        {/if}
        <dt class="col-sm-5">{$vpnflowText.traffic.downloadSpeed|escape:'html'}</dt>
        <dd class="col-sm-7">{$vpnflow.speed.download|escape:'html'}</dd>
        <dt class="col-sm-5">{$vpnflowText.traffic.uploadSpeed|escape:'html'}</dt>
        <dd class="col-sm-7">{$vpnflow.speed.upload|escape:'html'}</dd>
        {if $vpnflow.available}
        <dt class="col-sm-5">{$vpnflowText.traffic.perCycle|escape:'html'}</dt>
        <dd class="col-sm-7">{$vpnflow.traffic.perCycle|escape:'html'}</dd>
        <dt class="col-sm-5">{$vpnflowText.traffic.cycleDownload|escape:'html'}</dt>
        <dd class="col-sm-7">{$vpnflow.traffic.cycleDownload|escape:'html'}</dd>
        <dt class="col-sm-5">{$vpnflowText.traffic.cycleUpload|escape:'html'}</dt>
        <dd class="col-sm-7">{$vpnflow.traffic.cycleUpload|escape:'html'}</dd>
        {/if}
        {if $vpnflow.traffic.nextGrant}
        <dt class="col-sm-5">{$vpnflowText.traffic.nextGrant|escape:'html'}</dt>
        <dd class="col-sm-7">{$vpnflow.traffic.nextGrant|escape:'html'}</dd>
        {/if}
      </dl>
    </div>
  </div>

  <div class="card mb-3{if !$vpnflow.permissions.buyTraffic} text-muted{/if}" data-section="buyTraffic"{if !$vpnflow.permissions.buyTraffic} aria-disabled="true" data-forbidden="buyTraffic"{/if}>
    <div class="card-body">
      <h3 class="card-title">{$vpnflowText.buy.title|escape:'html'}</h3>
      {if !$vpnflow.permissions.buyTraffic}
      <p>{$vpnflowText.common.notAllowed|escape:'html'}</p>
      <button type="button" class="btn btn-success" disabled>{$vpnflowText.buy.orderNow|escape:'html'}</button>
      {elseif $vpnflow.addons}
      <p>{$vpnflowText.buy.intro|escape:'html'}</p>
      <ul class="list-group">
        {foreach $vpnflow.addons as $addon}
        <li class="list-group-item d-flex justify-content-between align-items-center flex-wrap" data-addon="{$addon.addonId|escape:'html'}">
          <span><strong>{$addon.name|escape:'html'}</strong> — {foreach $addon.prices as $price}{if !$price@first}, {/if}{$price|escape:'html'}{/foreach}</span>
          <a class="btn btn-success btn-sm" href="{$addon.orderUrl|escape:'html'}">{$vpnflowText.buy.orderNow|escape:'html'}</a>
        </li>
        {/foreach}
      </ul>
      {else}
      <p>{$vpnflowText.buy.none|escape:'html'}</p>
      {/if}
    </div>
  </div>
  {if $vpnflow.panel.token}<script src="{$vpnflow.panel.scriptUrl|escape:'html'}" crossorigin="anonymous" defer></script>{/if}
</div>
